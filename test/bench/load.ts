/**
 * One measurement with autocannon, in a process of its own, so that the load generator shares no
 * heap (and no garbage collection pauses) with the benchmark's set-up:
 * `node test/bench/load.ts '{"options": {...}, "warmupSeconds": 2, "serverPid": 123}'`.
 * It warms up (its own JIT included), then measures and prints the result as JSON, with the served
 * process's CPU time per request read from /proc around the measured run.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

interface LoadRequest {
  readonly options: Parameters<typeof autocannon>[0];
  readonly warmupSeconds: number;
  readonly serverPid: number | undefined;
}

const request = JSON.parse(process.argv[2] ?? "{}") as LoadRequest;
await autocannon({ ...request.options, duration: request.warmupSeconds });
const cpuBefore = cpuSecondsOf(request.serverPid);
const result = await autocannon(request.options);
const cpuAfter = cpuSecondsOf(request.serverPid);
const cpuMicros = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1e6) / Math.max(1, result.requests.total);
const printed: LoadResult = {
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  p999: result.latency.p99_9,
  cpuMicros,
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(JSON.stringify(printed));

/** What this script prints, as JSON. */
export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  /** The served process's CPU time per request in µs; absent where /proc does not tell. */
  readonly cpuMicros?: number | undefined;
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * CPU seconds (user and system, all threads) a process has used, from /proc; undefined where there
 * is none. Per request it is steadier than throughput on a shared machine whose speed drifts.
 */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name; utime and stime are the 14th and 15th of the whole line, in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
