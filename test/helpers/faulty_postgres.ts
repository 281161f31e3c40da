/**
 * An embedded PostgreSQL of a test's own (never the shared test server), which the test may stop
 * and start again, or freeze and thaw: SIGSTOP of the postmaster and every backend, so sockets stay
 * open and nothing answers.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type EmbeddedPostgresServer, freePort, startEmbeddedPostgres } from "../../adapters/embedded_postgres/embedded_postgres.ts";

/** A PostgreSQL that a test can make unavailable. */
export interface FaultyPostgres {
  readonly url: string;
  /** Stops it (fast shutdown: sessions get 57P01, then connections are refused). */
  stop(): Promise<void>;
  /** Starts it again on the same data and port. */
  start(): Promise<void>;
  /** Stops every PostgreSQL process with SIGSTOP; connections stay open and unanswered. */
  freeze(): Promise<void>;
  /** Resumes the processes `freeze` stopped. */
  thaw(): Promise<void>;
  /** Thaws, stops and deletes it. */
  remove(): Promise<void>;
}

/** Starts a persistent embedded PostgreSQL under `.data/` on a free port. */
export async function startFaultyPostgres(name: string): Promise<FaultyPostgres> {
  const dir = resolve(".data", `${name}-${process.pid}`);
  const dataDir = join(dir, "pg");
  const port = await freePort();
  const start = () => startEmbeddedPostgres({ dataDir, port, persistent: true, leaveSignalsToCaller: true, onError: () => {} });
  let server: EmbeddedPostgresServer | undefined = await start();
  const url = server.url;
  let frozen: number[] = [];
  const signal = (pids: readonly number[], name: NodeJS.Signals) => {
    for (const pid of pids) process.kill(pid, name);
  };
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };
  const thaw = async () => {
    signal([...frozen].reverse(), "SIGCONT");
    frozen = [];
  };
  return {
    url,
    stop,
    async start() {
      server ??= await start();
    },
    async freeze() {
      const postmaster = Number.parseInt((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0] ?? "", 10);
      // The postmaster first, so that it forks no backend after the children were listed.
      signal([postmaster], "SIGSTOP");
      frozen = [postmaster, ...(await childrenOf(postmaster))];
      signal(frozen.slice(1), "SIGSTOP");
    },
    thaw,
    async remove() {
      await thaw();
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Pids whose parent is `pid`, from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Fields after the parenthesised command name: state, then the parent pid.
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (parent === pid) children.push(Number(entry));
  }
  return children;
}
