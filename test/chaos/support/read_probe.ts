/**
 * Normal requests sent in a loop while a fault is under way, each timed and checked, so that a
 * scenario can assert the service kept serving (and what it served) and report how fast.
 */

/** What one probe request found: whether it passed the caller's check, and how long it took. */
export interface ProbeSample {
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
}

/** Figures of a probe run. */
export interface ProbeFigures {
  readonly tried: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly maxMs: number;
  /** The first failures' details, for the assertion message. */
  readonly failures: readonly string[];
}

/** A running probe loop; `stop()` ends it and gives the figures. */
export interface ReadProbe {
  stop(): Promise<ProbeFigures>;
}

/**
 * Calls `probe` over and over (`concurrency` loops, `pauseMs` between calls of each) until
 * stopped; a probe that throws counts as failed. Bounded: it stops by itself after `maxMs`.
 */
export function startReadProbe(
  probe: () => Promise<{ readonly ok: boolean; readonly detail?: string }>,
  options: { readonly concurrency?: number; readonly pauseMs?: number; readonly maxMs?: number } = {},
): ReadProbe {
  const samples: ProbeSample[] = [];
  let stopped = false;
  const deadline = performance.now() + (options.maxMs ?? 120_000);
  const loop = async (): Promise<void> => {
    while (!stopped && performance.now() < deadline) {
      const started = performance.now();
      let sample: ProbeSample;
      try {
        const { ok, detail } = await probe();
        sample = { ok, ms: performance.now() - started, detail };
      } catch (error) {
        sample = { ok: false, ms: performance.now() - started, detail: String(error) };
      }
      samples.push(sample);
      if (options.pauseMs !== undefined && options.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 2 }, () => loop());
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return probeFigures(samples);
    },
  };
}

/** Count, failures, median and slowest of the samples. */
export function probeFigures(samples: readonly ProbeSample[]): ProbeFigures {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const failures = samples.filter((sample) => !sample.ok);
  return {
    tried: samples.length,
    failed: failures.length,
    p50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    maxMs: Math.round(sorted.at(-1) ?? 0),
    failures: failures.slice(0, 5).map((sample) => sample.detail ?? "failed"),
  };
}

/** Prints a scenario's figures as one JSON line, for docs/operations.md. */
export function reportFigures(scenario: string, figures: Record<string, unknown>): void {
  console.info(JSON.stringify({ scenario, ...figures }));
}
