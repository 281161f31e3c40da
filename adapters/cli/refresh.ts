/** `catalog refresh`: queue refreshes through the scheduler and, with --wait, follow them to the end. */
import { setTimeout as sleep } from "node:timers/promises";
import type { RefreshJobState } from "../../src/ports/refresh_scheduler.ts";
import type { Runtime } from "../composition.ts";

/** What to refresh and how. */
export interface RefreshCommandOptions {
  readonly all?: boolean;
  readonly catalog: readonly string[];
  readonly query: readonly string[];
  readonly wait?: boolean;
  readonly force?: boolean;
  /** Seconds to wait at most. */
  readonly timeout: number;
}

const FINAL_STATES: ReadonlySet<RefreshJobState> = new Set(["completed", "failed", "cancelled"]);

/** Queues the refreshes; returns the exit code (1 when any waited-for refresh failed or was held). */
export async function refreshCommand(runtime: Runtime, options: RefreshCommandOptions): Promise<number> {
  const jobs = await runtime.withServices(async ({ refresh, catalogs }) => {
    const queued = new Map<string, string>();
    const force = options.force ?? false;
    const queryUuids = options.all ? (await refresh.freshness()).map((row) => row.query.uuid) : [];
    for (const uuid of [...queryUuids, ...options.query]) queued.set(await refresh.requestQueryRefresh(uuid, { force }), uuid);
    for (const uuid of options.catalog) {
      const catalog = await catalogs.getCatalog(uuid);
      queued.set(await refresh.requestCatalogRefresh(uuid, { force }), catalog.query.uuid);
    }
    return queued;
  });
  for (const [jobId, queryUuid] of jobs) console.log(`queued  query ${queryUuid}  job ${jobId}`);
  if (jobs.size === 0) console.log("nothing to refresh: no query has a catalog");
  if (!options.wait) return 0;
  return await follow(runtime, jobs, options.timeout * 1000);
}

async function follow(runtime: Runtime, jobs: ReadonlyMap<string, string>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const states = new Map<string, RefreshJobState>();
  let failures = 0;
  let hinted = false;
  while (states.size < jobs.size || [...states.values()].some((state) => !FINAL_STATES.has(state) && state !== "retrying")) {
    for (const [jobId, queryUuid] of jobs) {
      const previous = states.get(jobId);
      if (previous !== undefined && (FINAL_STATES.has(previous) || previous === "retrying")) continue;
      // A job the queue no longer knows finished long ago.
      const progress = (await runtime.scheduler.refreshProgress(jobId)) ?? { state: "completed" };
      const state = progress.state;
      if (state === previous) continue;
      states.set(jobId, state);
      if (state === "completed") {
        const outcome = progress.outcome ?? "succeeded";
        const [run] = await runtime.withServices(({ refresh }) => refresh.recentRuns(queryUuid, 1));
        const detail = run === undefined ? "" : `  +${run.added} -${run.removed} ~${run.updated} =${run.unchanged}  ${run.discoveryRequests} discovery requests${run.message ? `  (${run.message})` : ""}`;
        console.log(`${outcome.padEnd(9)} query ${queryUuid}${detail}`);
        if (outcome !== "succeeded" && outcome !== "skipped") failures++;
      } else if (state === "retrying" || state === "failed" || state === "cancelled") {
        const [run] = await runtime.withServices(({ refresh }) => refresh.recentRuns(queryUuid, 1));
        const stage = run?.stage ? `in ${run.stage}: ` : "";
        console.log(`failed    query ${queryUuid}  ${stage}${run?.message ?? state}${state === "retrying" ? "  (it will be retried)" : ""}`);
        failures++;
      } else {
        console.log(`${state.padEnd(9)} query ${queryUuid}`);
      }
    }
    if (Date.now() > deadline) {
      console.error(`gave up waiting after ${Math.round(timeoutMs / 1000)} s`);
      return 1;
    }
    if (!hinted && Date.now() > deadline - timeoutMs + 15_000 && [...states.values()].every((state) => state === "queued")) {
      console.error("no refresh has started yet: is a worker running? (`npm start` or `npx catalog worker`)");
      hinted = true;
    }
    await sleep(250);
  }
  return failures > 0 ? 1 : 0;
}
