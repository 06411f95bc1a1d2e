/**
 * One bench cloud, built two ways: as our PlacementState (through its own methods) and as SQL rows
 * for a real Placement's database (creating 10,000 providers through its REST API takes many
 * minutes). Both get the same providers, inventories and allocations, UUID for UUID.
 */
import { PlacementState } from "../src/placement/index.js";

/** Root compute providers, each with `devicesPerRoot` child device providers (0: a flat cloud). */
export interface CloudSpec {
  readonly roots: number;
  readonly devicesPerRoot: number;
}

interface InventoryRow {
  readonly total: number;
  readonly allocation_ratio: number;
}

const ROOT_INVENTORY: Readonly<Record<string, InventoryRow>> = {
  VCPU: { total: 16, allocation_ratio: 4 },
  MEMORY_MB: { total: 65536, allocation_ratio: 1 },
  DISK_GB: { total: 1000, allocation_ratio: 1 },
};
/** What the consumer on every tenth root uses. */
const USAGE: Readonly<Record<string, number>> = { VCPU: 4, MEMORY_MB: 8192, DISK_GB: 100 };
const PROJECT = "bench-project";
const USER = "bench-user";

/** The first half of a root's devices are SR-IOV VFs, the rest PCI devices; 8 of either each. */
export function deviceClass(device: number, devicesPerRoot: number): string {
  return device < devicesPerRoot / 2 ? "SRIOV_NET_VF" : "PCI_DEVICE";
}
const DEVICE_TOTAL = 8;

const uuid = (kind: number, i: number) =>
  `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
/** The UUID of root `i`. */
export const rootUuid = (i: number) => uuid(1, i);
const deviceUuid = (i: number, d: number, per: number) => uuid(2, i * per + d);
const consumerUuid = (i: number) => uuid(3, i);
const hasUsage = (i: number) => i % 10 === 0;

/** How many providers the cloud has, roots and devices. */
export function providerCount(spec: CloudSpec): number {
  return spec.roots * (1 + spec.devicesPerRoot);
}

/** The cloud as our in-memory state. */
export function buildState(spec: CloudSpec): PlacementState {
  const state = new PlacementState();
  for (let i = 0; i < spec.roots; i++) {
    const root = rootUuid(i);
    state.createProvider({ uuid: root, name: `compute${i}` });
    state.setInventories(root, 0, ROOT_INVENTORY);
    for (let d = 0; d < spec.devicesPerRoot; d++) {
      const dev = deviceUuid(i, d, spec.devicesPerRoot);
      state.createProvider({ uuid: dev, name: `compute${i}_dev${d}`, parentUuid: root });
      state.setInventories(dev, 0, { [deviceClass(d, spec.devicesPerRoot)]: { total: DEVICE_TOTAL } });
    }
    if (hasUsage(i))
      state.claim(consumerUuid(i), {
        allocations: { [root]: USAGE },
        consumerGeneration: null,
        projectId: PROJECT,
        userId: USER,
      });
  }
  return state;
}

/**
 * The cloud as one SQL script for Placement's schema (after `placement-manage db sync`): it
 * empties the provider, inventory, allocation and consumer tables, then fills them.
 * `classIds` maps resource class names to their `resource_classes.id`.
 */
export function cloudSql(spec: CloudSpec, classIds: Readonly<Record<string, number>>): string {
  const rc = (name: string) => {
    const id = classIds[name];
    if (id === undefined) throw new Error(`the peer's database has no resource class ${name}`);
    return id;
  };
  const now = "'2026-01-01 00:00:00'";
  const out = [
    "BEGIN;",
    "DELETE FROM allocations; DELETE FROM consumers; DELETE FROM inventories; DELETE FROM resource_providers;",
    "DELETE FROM projects; DELETE FROM users;",
    `INSERT INTO projects (id, external_id, created_at) VALUES (1, '${PROJECT}', ${now});`,
    `INSERT INTO users (id, external_id, created_at) VALUES (1, '${USER}', ${now});`,
  ];
  let providerId = 0;
  let inventoryId = 0;
  let allocationId = 0;
  const inventory = (rp: number, name: string, row: InventoryRow) =>
    out.push(
      "INSERT INTO inventories (id, resource_provider_id, resource_class_id, total, reserved, min_unit, max_unit," +
        ` step_size, allocation_ratio, created_at) VALUES (${++inventoryId}, ${rp}, ${rc(name)}, ${row.total}, 0, 1,` +
        ` ${row.total}, 1, ${row.allocation_ratio}, ${now});`,
    );
  const provider = (id: number, uuid: string, name: string, root: number, parent: number | null) =>
    out.push(
      "INSERT INTO resource_providers (id, uuid, name, generation, root_provider_id, parent_provider_id, created_at)" +
        ` VALUES (${id}, '${uuid}', '${name}', 1, ${root}, ${parent ?? "NULL"}, ${now});`,
    );
  for (let i = 0; i < spec.roots; i++) {
    const root = ++providerId;
    provider(root, rootUuid(i), `compute${i}`, root, null);
    for (const [name, row] of Object.entries(ROOT_INVENTORY)) inventory(root, name, row);
    for (let d = 0; d < spec.devicesPerRoot; d++) {
      const dev = ++providerId;
      provider(dev, deviceUuid(i, d, spec.devicesPerRoot), `compute${i}_dev${d}`, root, root);
      inventory(dev, deviceClass(d, spec.devicesPerRoot), { total: DEVICE_TOTAL, allocation_ratio: 1 });
    }
    if (hasUsage(i)) {
      out.push(
        `INSERT INTO consumers (id, uuid, project_id, user_id, generation, created_at) VALUES (${i + 1}, '${consumerUuid(i)}', 1, 1, 1, ${now});`,
      );
      for (const [name, used] of Object.entries(USAGE))
        out.push(
          "INSERT INTO allocations (id, resource_provider_id, consumer_id, resource_class_id, used, created_at)" +
            ` VALUES (${++allocationId}, ${root}, '${consumerUuid(i)}', ${rc(name)}, ${used}, ${now});`,
        );
    }
  }
  out.push("COMMIT;");
  return out.join("\n");
}
