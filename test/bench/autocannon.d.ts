/** The part of autocannon's programmatic API the benchmarks use (the package ships no types). */
declare module "autocannon" {
  interface Percentiles {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
    readonly p99_9: number;
  }
  interface Result {
    /** Requests per second; `total` counts the requests answered. */
    readonly requests: Percentiles & { readonly total: number };
    readonly latency: Percentiles;
    readonly non2xx: number;
    readonly errors: number;
    /** Requests that got no answer within the timeout (also counted in `errors`). */
    readonly timeouts: number;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    /** Requests per second across all connections: a fixed rate instead of as fast as possible. */
    readonly overallRate?: number;
    readonly headers?: Record<string, string>;
    readonly requests?: readonly { readonly method?: "GET" | "POST"; readonly path: string; readonly body?: string }[];
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
