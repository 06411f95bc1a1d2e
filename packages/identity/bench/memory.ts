/**
 * Memory at scale: 100k users, 1k projects and 1M user-project role assignments in SQLite, opened
 * by a fresh process (so building the data does not count) that loads everything identity keeps in
 * memory: the assignment snapshot (first effectiveRoles), users, a token issued and validated.
 * Reports RSS and heap after a GC, the peak RSS, and how long the snapshot takes to load.
 *
 * The database is built once by bulk inserts straight into the tables the migrations made and
 * kept in the temp dir under a version key, so later runs skip building it.
 *
 *   npx tsx --conditions @stratus/source packages/identity/bench/memory.ts
 */
import { fork } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase } from "@stratus/core/db";
import { bootstrap } from "../src/bootstrap.js";
import { createIdentity } from "../src/identity.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const USERS = 100_000;
const PROJECTS = 1_000;
const PER_USER = 10; // USERS * PER_USER assignments
const BATCH = 500; // rows per INSERT
/** Bump when the dataset's recipe changes: it keys the cached database. */
const VERSION = "v1-100k-users-1k-projects-1m-assignments";
const CACHE = join(tmpdir(), `stratus-identity-memory-${VERSION}`);

const userId = (i: number) => i.toString(16).padStart(32, "0");
const projectId = (i: number) => `f${i.toString(16).padStart(31, "0")}`;
/** The k-th project of user i (distinct for k < PER_USER since PROJECTS / PER_USER > 1 step apart). */
const projectOf = (i: number, k: number) => (i * 7 + k * 97) % PROJECTS;

const paths = (dir: string) => ({
  db: join(dir, "identity.db"),
  keyRepository: join(dir, "fernet-keys"),
  credentialKeyRepository: join(dir, "credential-keys"),
});

async function insertAll<T>(db: Database<unknown>, table: string, count: number, row: (i: number) => T) {
  // kysely's generic insert on a schema it does not know: the rows are plain column records
  const kysely = db.kysely as unknown as {
    insertInto(t: string): { values(rows: T[]): { execute(): Promise<unknown> } };
  };
  for (let start = 0; start < count; start += BATCH * 40) {
    await db.transaction(async (trx) => {
      const t = trx as unknown as typeof kysely;
      for (let b = start; b < Math.min(count, start + BATCH * 40); b += BATCH) {
        const rows: T[] = [];
        for (let i = b; i < Math.min(count, b + BATCH); i++) rows.push(row(i));
        await t.insertInto(table).values(rows).execute();
      }
    });
  }
}

/** Builds the dataset in a staging dir, then moves it into place (a killed build is never reused). */
async function build(dir: string): Promise<void> {
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const p = paths(staging);
  const database = await openDatabase({ engine: "sqlite", path: p.db });
  const identity = await createIdentity({ database, ...p, users: { passwordHashRounds: 4 } });
  await bootstrap(identity, { adminPassword: "admin", publicUrl: "http://127.0.0.1:5000/v3/" });
  const member = (await identity.roles.listRoles({ name: "member", domainId: null }))[0];
  const reader = (await identity.roles.listRoles({ name: "reader", domainId: null }))[0];
  if (member === undefined || reader === undefined) throw new Error("bootstrap made no member/reader roles");
  const now = new Date();
  await insertAll(database, "project", PROJECTS, (i) => ({
    id: projectId(i),
    name: `project-${i}`,
    domain_id: "default",
    description: null,
    enabled: true,
    parent_id: "default",
    is_domain: false,
    extra: {},
    generation: 1,
  }));
  await insertAll(database, "iu_user", USERS, (i) => ({
    id: userId(i),
    domain_id: "default",
    name: `user-${i}`,
    enabled: true,
    default_project_id: null,
    extra: {},
    options: {},
    password_hash: null,
    password_created_at: null,
    password_expires_at: null,
    password_self_service: false,
    created_at: now,
  }));
  await insertAll(database, "assignment", USERS * PER_USER, (n) => {
    const i = Math.floor(n / PER_USER);
    const k = n % PER_USER;
    return {
      type: "UserProject",
      actor_id: userId(i),
      target_id: projectId(projectOf(i, k)),
      role_id: k % 3 === 0 ? reader.id : member.id,
      inherited: false,
    };
  });
  await database.close();
  renameSync(staging, dir);
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const ms = (from: number) => Math.round((performance.now() - from) * 10) / 10;

/** Child side: open the built database, load everything, report. */
async function measure(dir: string): Promise<Figure[]> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const p = paths(dir);
  let started = performance.now();
  const database = await openDatabase({ engine: "sqlite", path: p.db });
  const identity = await createIdentity({ database, ...p, users: { passwordHashRounds: 4 } });
  const opened = ms(started);
  gc();
  const before = process.memoryUsage();

  started = performance.now();
  const first = await identity.assignments.effectiveRoles({
    userId: userId(42),
    scope: { projectId: projectId(projectOf(42, 1)) },
  });
  const firstAnswer = ms(started);
  if (first.length === 0) throw new Error("user 42 has no roles on its project: the dataset is wrong");
  for (let i = 0; i < 1000; i++) {
    const u = (i * 7919) % USERS;
    await identity.assignments.effectiveRoles({
      userId: userId(u),
      scope: { projectId: projectId(projectOf(u, i % PER_USER)) },
    });
    await identity.users.users.get(userId(u));
  }
  const admin = await identity.users.users.getByName("admin", "default");
  const issued = await identity.auth.issue(
    {
      identity: { methods: ["password"], password: { user: { id: admin.id, password: "admin" } } },
      scope: { project: { name: "admin", domain: { id: "default" } } },
    } as Parameters<typeof identity.auth.issue>[0],
    { includeCatalog: true },
  );
  const validated = await identity.auth.validate(issued.token);
  if (validated.facts.userId !== admin.id) throw new Error("the issued token did not validate");
  gc();
  const after = process.memoryUsage();

  // a reload (what an invalidation or the snapshot's max age costs), data now in the page cache
  identity.assignments.invalidate();
  started = performance.now();
  await identity.assignments.effectiveRoles({ userId: userId(7), scope: { projectId: projectId(projectOf(7, 0)) } });
  const reload = ms(started);
  const peak = process.resourceUsage().maxRSS * 1024;
  // V8 gives freed pages back to the system lazily: idle a moment, collect again, measure again
  await new Promise((resolve) => setTimeout(resolve, 3000));
  gc();
  const settled = process.memoryUsage();
  await database.close();
  return [
    { name: "createIdentity on the loaded database (migrations checked)", value: opened, unit: "ms" },
    { name: "first effectiveRoles (assignment snapshot load)", value: firstAnswer, unit: "ms" },
    { name: "snapshot reload after an invalidation", value: reload, unit: "ms" },
    { name: "RSS before the snapshot loads (after GC)", value: mib(before.rss), unit: "MiB" },
    { name: "RSS, everything loaded (after GC)", value: mib(after.rss), unit: "MiB" },
    { name: "heapUsed, everything loaded (after GC)", value: mib(after.heapUsed), unit: "MiB" },
    { name: "heapUsed growth from loading", value: mib(after.heapUsed - before.heapUsed), unit: "MiB" },
    { name: "heapTotal, everything loaded", value: mib(after.heapTotal), unit: "MiB" },
    { name: "external (off-heap buffers), everything loaded", value: mib(after.external), unit: "MiB" },
    { name: "peak RSS (maxRSS, first load and reload)", value: mib(peak), unit: "MiB" },
    { name: "RSS after the reload, 3 s idle and a GC", value: mib(settled.rss), unit: "MiB" },
    { name: "heapUsed after the reload, 3 s idle and a GC", value: mib(settled.heapUsed), unit: "MiB" },
  ];
}

/** Builds the dataset unless cached, then measures it in a fresh child process (node --expose-gc). */
export async function benchMemory(): Promise<Figure[]> {
  const figures: Figure[] = [];
  if (!existsSync(CACHE)) {
    const started = performance.now();
    await build(CACHE);
    figures.push({ name: "dataset build (bulk inserts, once; cached)", value: Math.round(ms(started)), unit: "ms" });
  }
  figures.push({ name: "database file", value: mib(statSync(paths(CACHE).db).size), unit: "MiB" });
  const child = fork(fileURLToPath(import.meta.url), ["--measure", CACHE], {
    execArgv: [...process.execArgv, "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const measured = await new Promise<Figure[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("measuring took over 5 minutes"));
    }, 300_000);
    child.once("message", (m) => {
      clearTimeout(timer);
      resolve(m as Figure[]);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the measuring process exited with ${code}`));
    });
  });
  return [...figures, ...measured];
}

const measureIndex = process.argv.indexOf("--measure");
if (measureIndex >= 0) {
  const figures = await measure(process.argv[measureIndex + 1] ?? CACHE);
  process.send?.(figures, () => process.exit(0));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`  ${USERS} users, ${PROJECTS} projects, ${USERS * PER_USER} user-project role assignments`);
  for (const f of await benchMemory()) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(1);
    console.log(`  ${f.name.padEnd(60)} ${value.padStart(10)} ${f.unit}`);
  }
}
