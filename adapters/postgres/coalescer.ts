/**
 * Coalesces concurrent lookups into one statement: calls made while earlier batches are running
 * wait and go out together. Under light load each call goes alone (one event-loop turn later);
 * under heavy load batches grow, so the statements per second stay bounded by `maxInFlight`.
 * Every batch is issued after its calls arrived, so answers are as fresh as unbatched ones.
 */

/** How a coalescer batches. */
export interface CoalescerOptions {
  /** Most calls in one batch. */
  readonly maxBatch: number;
  /** Most batches running at once; further calls wait and join the next batch. */
  readonly maxInFlight: number;
}

/** Runs one batch: one answer per question, in the same order. */
export type BatchRunner<Q, A> = (questions: readonly Q[]) => Promise<readonly A[]>;

interface Waiting<Q, A> {
  readonly question: Q;
  readonly resolve: (answer: A) => void;
  readonly reject: (error: unknown) => void;
}

/** Batches questions of one kind into calls of `run`. */
export class Coalescer<Q, A> {
  #run: BatchRunner<Q, A>;
  #options: CoalescerOptions;
  #waiting: Waiting<Q, A>[] = [];
  #scheduled = false;
  #inFlight = 0;

  constructor(run: BatchRunner<Q, A>, options: CoalescerOptions) {
    this.#run = run;
    this.#options = options;
  }

  /** The answer to one question, asked together with whatever else is waiting. */
  ask(question: Q): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      this.#waiting.push({ question, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#waiting.length === 0 || this.#inFlight >= this.#options.maxInFlight) return;
    this.#scheduled = true;
    // One turn of the event loop lets the requests already read from sockets join this batch.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#waiting.length > 0 && this.#inFlight < this.#options.maxInFlight) {
        this.#start(this.#waiting.splice(0, this.#options.maxBatch));
      }
    });
  }

  #start(batch: Waiting<Q, A>[]): void {
    this.#inFlight++;
    this.#run(batch.map((waiting) => waiting.question))
      .then((answers) => {
        if (answers.length !== batch.length) throw new TypeError(`A batch of ${batch.length} got ${answers.length} answers`);
        batch.forEach((waiting, i) => waiting.resolve(answers[i] as A));
      })
      .catch((error: unknown) => {
        for (const waiting of batch) waiting.reject(error);
      })
      .finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
  }
}
