/**
 * One autocannon run in a process of its own: `node test/bench/load.ts '<options as JSON>'` prints
 * the result as JSON. The load generator then shares no heap (and no garbage collection pauses)
 * with the benchmark's set-up, which generated a corpus and ran a whole refresh.
 */
import autocannon from "autocannon";

const options = JSON.parse(process.argv[2] ?? "{}") as Parameters<typeof autocannon>[0];
const result = await autocannon(options);
process.stdout.write(JSON.stringify({
  requests: { average: result.requests.average, total: result.requests.total },
  latency: { p50: result.latency.p50, p99: result.latency.p99 },
  non2xx: result.non2xx,
  errors: result.errors,
}));
