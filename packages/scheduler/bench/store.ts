/**
 * Placement writes made durable by SqlPlacementStore: claims (PUT /allocations/{consumer}, one
 * transaction each) on SQLite (a file) and on PostgreSQL / MariaDB when reachable (a scratch
 * database; URLs from STRATUS_TEST_PG_URL / STRATUS_TEST_MYSQL_URL, as the integration tests).
 *
 *   npx tsx --conditions @stratus/source packages/scheduler/bench/store.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Database, openDatabase } from "@stratus/core/db";
import { createScratchDatabase, MARIADB, POSTGRES, probeServer, type ServerSpec } from "@stratus/core/testing";
import {
  MemoryPlacementStore,
  PlacementState,
  type PlacementStore,
  SqlPlacementStore,
} from "../src/placement/index.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const PROVIDERS = 200;
const CLAIMS = 2_000;
const IN_FLIGHT = 64;

const uuid = (kind: number, i: number) =>
  `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const owner = { projectId: "p1", userId: "u1" };

async function populate(store: PlacementStore): Promise<void> {
  const rps = Array.from({ length: PROVIDERS }, (_, i) => uuid(1, i));
  await store.write(
    (s) => {
      rps.forEach((rp, i) => {
        s.createProvider({ uuid: rp, name: `compute${i}` });
        s.setInventories(rp, 0, {
          VCPU: { total: 64, allocation_ratio: 16 },
          MEMORY_MB: { total: 262144, allocation_ratio: 1.5 },
          DISK_GB: { total: 4000 },
        });
      });
    },
    { providers: rps },
  );
}

/** Claims of a new consumer (2 VCPU, 2 GiB, 20 GB on one provider); `inFlight` writes awaited at a time. */
async function claims(store: PlacementStore, first: number, count: number, inFlight: number): Promise<number> {
  const t0 = performance.now();
  for (let i = first; i < first + count; i += inFlight) {
    const batch = [];
    for (let j = i; j < Math.min(first + count, i + inFlight); j++) {
      const consumer = uuid(2, j);
      const rp = uuid(1, j % PROVIDERS);
      batch.push(
        store.write(
          (s) =>
            s.claim(consumer, {
              allocations: { [rp]: { VCPU: 2, MEMORY_MB: 2048, DISK_GB: 20 } },
              consumerGeneration: null,
              ...owner,
            }),
          { consumers: [consumer] },
        ),
      );
    }
    await Promise.all(batch);
  }
  return (count / (performance.now() - t0)) * 1000;
}

async function measure(label: string, open: () => Promise<PlacementStore>, durable: boolean): Promise<Figure[]> {
  const store = await open();
  let figures: Figure[];
  try {
    await populate(store);
    await claims(store, 0, 200, 1); // warm-up
    const oneAtATime = await claims(store, 200, CLAIMS, 1);
    const concurrent = await claims(store, 200 + CLAIMS, CLAIMS, IN_FLIGHT);
    figures = [
      { name: `${label}: claims, one at a time`, value: Math.round(oneAtATime), unit: "writes/s" },
      { name: `${label}: claims, ${IN_FLIGHT} in flight`, value: Math.round(concurrent), unit: "writes/s" },
    ];
  } finally {
    await store.close();
  }
  if (!durable) return figures;
  const t0 = performance.now();
  const again = await open();
  const loaded = again.state.snapshot().consumers.length;
  figures.push({
    name: `${label}: open (load ${PROVIDERS} providers, ${loaded} consumers)`,
    value: Number((performance.now() - t0).toFixed(1)),
    unit: "ms",
  });
  await again.close();
  return figures;
}

async function onServer(spec: ServerSpec): Promise<Figure[]> {
  const adminUrl = process.env[spec.envVar] ?? spec.defaultUrl;
  if ((await probeServer(spec.engine, adminUrl, 1_000)) !== undefined) {
    console.log(`  (${spec.title} not reachable at ${adminUrl}: skipped)`);
    return [];
  }
  const scratch = await createScratchDatabase(spec.engine, adminUrl);
  try {
    const connect = (): Promise<Database<unknown>> =>
      spec.engine === "postgres"
        ? openDatabase({ engine: "postgres", url: scratch.url })
        : openDatabase({ engine: "mysql", url: scratch.url });
    return await measure(
      `SqlPlacementStore on ${spec.title}`,
      async () => SqlPlacementStore.open(await connect()),
      true,
    );
  } finally {
    await scratch.drop();
  }
}

/** Claims per second through each store, with ${PROVIDERS} providers. */
export async function benchStore(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-bench-"));
  try {
    const sqlite = async () =>
      SqlPlacementStore.open(await openDatabase({ engine: "sqlite", path: join(dir, "placement.db") }));
    return [
      ...(await measure("MemoryPlacementStore", async () => new MemoryPlacementStore(new PlacementState()), false)),
      ...(await measure("SqlPlacementStore on SQLite (file, WAL)", sqlite, true)),
      ...(await onServer(POSTGRES)),
      ...(await onServer(MARIADB)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchStore()) console.log(`${f.name}: ${f.value.toFixed(f.value < 10 ? 2 : 0)} ${f.unit}`);
}
