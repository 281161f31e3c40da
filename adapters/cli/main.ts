/** The `catalog` command: serve, worker, migrate, refresh, status and token. */
import { Command, InvalidArgumentError } from "commander";
import type { Logger } from "pino";
import { isCoreError } from "../../src/errors.ts";
import { type AppConfig, ConfigError, loadConfig } from "../config.ts";
import { migrateDatabase, openRuntime, readQueryFreshness, type Runtime, type RuntimeRole } from "../composition.ts";
import { createLogger } from "../logger.ts";
import { serveMetrics } from "../metrics.ts";
import { startServer, startWorkers } from "../server.ts";
import { printStatus } from "./status.ts";
import { refreshCommand } from "./refresh.ts";
import { tokenCommand, withJwtKey } from "./token.ts";

const program = new Command("catalog")
  .description("Enterprise catalogs answered from the service's own copy of discovery content")
  .showHelpAfterError();

program.command("serve")
  .description("serve the API (and run refresh workers unless CATALOG_IN_PROCESS_WORKER=false)")
  .action(async () => {
    const { config, devSecret } = await jwtKeyOrExit(configOrExit());
    const runtime = await openOrExit(config, config.inProcessWorker ? "serve-with-worker" : "serve");
    const running = await startServer(runtime);
    runtime.logger.info({ port: running.port, database: runtime.database.kind, discovery: config.discoveryUrl ?? "bundled local corpus", worker: config.inProcessWorker }, `listening on http://localhost:${running.port}`);
    if (devSecret !== undefined) {
      runtime.logger.info(
        { keyFile: devSecret.path, generated: devSecret.created },
        `no JWT_SECRET_KEY set: signing key kept in ${devSecret.path}; mint a token with: npx catalog token --role enterprise_openedx_operator:'*'`,
      );
    }
    stopOnSignal(runtime, () => running.stop());
  });

program.command("worker")
  .description("run refresh workers and the freshness sweep, without the API")
  .action(async () => {
    const runtime = await openOrExit(configOrExit(), "worker");
    await startWorkers(runtime);
    const metricsPort = runtime.config.metricsPort;
    const metrics = metricsPort === undefined ? undefined : await serveMetrics(runtime.metrics, { port: metricsPort, host: runtime.config.host });
    runtime.logger.info({ metricsPort }, "refresh worker running");
    stopOnSignal(runtime, async () => {
      await runtime.close({ graceful: true });
      await new Promise((resolve) => (metrics === undefined ? resolve(undefined) : metrics.close(resolve)));
    });
  });

program.command("migrate")
  .description("apply pending database migrations")
  .action(async () => {
    const config = configOrExit();
    const logger = createLogger(config.logLevel);
    await orExit(logger, () => migrateDatabase(config, { logger }));
  });

program.command("refresh")
  .description("queue refreshes through the scheduler; --wait shows progress and fails if a refresh fails")
  .option("--all", "every query that has at least one catalog")
  .option("--catalog <uuid>", "the query of this catalog", collect, [])
  .option("--query <uuid>", "this catalog query", collect, [])
  .option("--wait", "wait for the refreshes and report each outcome")
  .option("--force", "apply results even when the shrink guardrail would hold them")
  .option("--timeout <seconds>", "give up waiting after this many seconds", positiveNumber, 600)
  .action(async (options: { all?: boolean; catalog: string[]; query: string[]; wait?: boolean; force?: boolean; timeout: number }) => {
    if (!options.all && options.catalog.length === 0 && options.query.length === 0) {
      program.error("catalog refresh: say what to refresh: --all, --catalog <uuid> or --query <uuid>");
    }
    const runtime = await openOrExit(configOrExit(), "refresh", { quiet: true });
    try {
      process.exitCode = await refreshCommand(runtime, options);
    } finally {
      await runtime.close({ graceful: false });
    }
  });

program.command("status")
  .description("show every query in use: catalogs, last refresh, age, outcome, items; stale ones flagged")
  .option("--json", "print JSON instead of a table")
  .action(async (options: { json?: boolean }) => {
    const config = configOrExit();
    const logger = createLogger("warn");
    const rows = await orExit(logger, () => readQueryFreshness(config, { logger }));
    process.exitCode = printStatus(rows, options);
  });

program.command("token")
  .description("print a development JWT signed with JWT_SECRET_KEY (or the key `serve` generated under .data/)")
  .option("--role <role>", "a roles-claim entry, \"<system role>:<enterprise uuid or *>\"; repeat for more", collect, [])
  .option("--ttl <duration>", "lifetime: 90s, 15m, 1h, 7d", "1h")
  .option("--subject <name>", "the token's subject (sub and preferred_username)", "dev-user")
  .option("--administrator", "set the edX administrator (staff) claim")
  .action(async (options: { role: string[]; ttl: string; subject: string; administrator?: boolean }) => {
    try {
      console.log(await tokenCommand(configOrExit(), options));
    } catch (error) {
      console.error(`catalog token: ${(error as Error).message}`);
      process.exitCode = 2;
    }
  });

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

async function jwtKeyOrExit(config: AppConfig): ReturnType<typeof withJwtKey> {
  try {
    return await withJwtKey(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

async function openOrExit(config: AppConfig, role: RuntimeRole, options: { quiet?: boolean } = {}): Promise<Runtime> {
  const logger = createLogger(options.quiet ? "warn" : config.logLevel);
  return await orExit(logger, () => openRuntime(config, { role, logger }));
}

/** Runs what opens the database; a failure is logged and ends the process with code 1. */
async function orExit<T>(logger: Logger, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    logger.fatal({ err: error }, "start-up failed");
    process.exit(1);
  }
}

function stopOnSignal(runtime: Runtime, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // npm forwards the terminal's SIGINT, so one Ctrl-C under `npm start` arrives twice: ignore repeats.
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, "shutting down");
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        runtime.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError("must be a positive number");
  return number;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Errors the caller can act on (unknown uuid, bad input) get one line, not a stack trace.
  if (!isCoreError(error)) throw error;
  console.error(`catalog: ${error.message}`);
  process.exitCode = 1;
}
