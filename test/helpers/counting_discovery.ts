/** A DiscoveryClient wrapper that counts every request per endpoint and the keys fetched in full. */
import {
  DISCOVERY_ENDPOINTS,
  type DiscoveryCallOptions,
  type DiscoveryClient,
  type DiscoveryEndpoint,
} from "../../src/ports/discovery_client.ts";

/** What was asked of discovery since the last `take()`. */
export interface DiscoveryTally {
  readonly requests: Readonly<Record<DiscoveryEndpoint, number>>;
  /** Course keys and program uuids asked for in full, in order, repeats included. */
  readonly fetchedKeys: readonly string[];
}

/** The wrapped client and a way to read (and reset) its tally. */
export interface CountingDiscovery {
  readonly client: DiscoveryClient;
  take(): DiscoveryTally;
}

/** Wraps `inner`, counting the request events it reports. */
export function countingDiscovery(inner: DiscoveryClient): CountingDiscovery {
  const requests: Record<DiscoveryEndpoint, number> = { search: 0, courses: 0, programs: 0, reviews: 0 };
  const fetchedKeys: string[] = [];
  const counting = (options: DiscoveryCallOptions = {}): DiscoveryCallOptions => ({
    ...options,
    onRequest: (event) => {
      requests[event.endpoint]++;
      options.onRequest?.(event);
    },
  });
  return {
    client: {
      searchAll: (filter, options) => inner.searchAll(filter, counting(options)),
      fetchCourses: (keys, options) => (fetchedKeys.push(...keys), inner.fetchCourses(keys, counting(options))),
      fetchPrograms: (uuids, options) => (fetchedKeys.push(...uuids), inner.fetchPrograms(uuids, counting(options))),
      fetchCourseReviews: (options) => inner.fetchCourseReviews(counting(options)),
    },
    take() {
      const taken = { requests: { ...requests }, fetchedKeys: [...fetchedKeys] };
      for (const endpoint of DISCOVERY_ENDPOINTS) requests[endpoint] = 0;
      fetchedKeys.length = 0;
      return taken;
    },
  };
}
