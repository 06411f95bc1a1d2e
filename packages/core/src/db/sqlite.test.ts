import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { runDbContract } from "./contract.js";
import { openDatabase } from "./database.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runDbContract(() => openDatabase({ engine: "sqlite", path: ":memory:" }), {
  label: "SQLite :memory:",
  concurrentWriters: false,
});
runDbContract(() => openDatabase({ engine: "sqlite", path: join(dir, "contract.db") }), {
  label: "SQLite file",
  concurrentWriters: false,
});
