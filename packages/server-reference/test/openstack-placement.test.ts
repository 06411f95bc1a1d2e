/**
 * osc-placement (Debian's python3-osc-placement) against `stratus serve`: the Placement flows an
 * operator and Nova's admin tooling run, through the real `openstack` command. osc-placement
 * finds Placement through the catalog, so this also proves the endpoint is listed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stratus, startStratus } from "./osc-harness.js";

let stratus: Stratus;
let env: NodeJS.ProcessEnv;
/** `openstack ... -f json` at a Placement microversion (osc-placement's default is 1.0). */
const osc = (args: string[], version = "1.39", json = true) =>
  stratus.openstack(["--os-placement-api-version", version, ...args], {
    json,
    env,
  });
const oscFails = (args: string[], version = "1.39") =>
  stratus.openstackFails(["--os-placement-api-version", version, ...args], env);

beforeAll(async () => {
  stratus = await startStratus(["placement"]);
  env = stratus.env;
}, 120_000);

afterAll(() => stratus?.stop());

/** Restarts `stratus serve` on the same data directory and ports. */
async function restart(): Promise<void> {
  await stratus.stop();
  stratus = await startStratus([], { dataDir: stratus.dataDir, ports: stratus.ports });
  env = stratus.env;
}

describe("openstack CLI against stratus serve: placement", () => {
  it("finds placement in the catalog", async () => {
    const endpoints = (await stratus.openstack(["endpoint", "list", "--service", "placement"])) as Array<{
      URL: string;
      Interface: string;
    }>;
    expect(endpoints.map((e) => e.Interface).sort()).toEqual(["admin", "internal", "public"]);
    expect(endpoints[0]?.URL).toBe(`http://127.0.0.1:${stratus.ports["placement"]}`);
  });

  it("creates, lists, shows, renames and deletes resource providers in a tree", async () => {
    const root = await osc(["resource", "provider", "create", "osc-root"]);
    expect(root).toMatchObject({ name: "osc-root", generation: 0, root_provider_uuid: root.uuid });
    const child = await osc(["resource", "provider", "create", "--parent-provider", root.uuid, "osc-child"]);
    expect(child).toMatchObject({ parent_provider_uuid: root.uuid, root_provider_uuid: root.uuid });

    const list = (await osc(["resource", "provider", "list"])) as Array<{ name: string }>;
    expect(list.map((p) => p.name)).toEqual(expect.arrayContaining(["osc-root", "osc-child"]));
    const tree = (await osc(["resource", "provider", "list", "--in-tree", child.uuid])) as Array<{ uuid: string }>;
    expect(tree.map((p) => p.uuid).sort()).toEqual([root.uuid, child.uuid].sort());
    expect(await osc(["resource", "provider", "show", child.uuid])).toMatchObject({ name: "osc-child" });

    const err = await oscFails(["resource", "provider", "delete", root.uuid]);
    expect(err).toMatch(/409|child/i);
    await osc(["resource", "provider", "set", "--name", "osc-child-2", "--parent-provider", root.uuid, child.uuid]);
    expect(await osc(["resource", "provider", "show", child.uuid])).toMatchObject({ name: "osc-child-2" });
    await osc(["resource", "provider", "delete", child.uuid], "1.39", false);
    await osc(["resource", "provider", "delete", root.uuid], "1.39", false);
    expect(await oscFails(["resource", "provider", "show", root.uuid])).toMatch(/404|No resource provider/i);
  });

  it("sets and lists inventories, and refuses an unknown resource class", async () => {
    const rp = await osc(["resource", "provider", "create", "osc-inv"]);
    await osc([
      "resource",
      "provider",
      "inventory",
      "set",
      rp.uuid,
      "--resource",
      "VCPU=16",
      "--resource",
      "VCPU:allocation_ratio=4.0",
      "--resource",
      "MEMORY_MB=32768",
      "--resource",
      "MEMORY_MB:reserved=512",
    ]);
    const inv = (await osc(["resource", "provider", "inventory", "list", rp.uuid])) as Array<Record<string, unknown>>;
    const byClass = Object.fromEntries(inv.map((i) => [i["resource_class"], i]));
    expect(byClass["VCPU"]).toMatchObject({
      total: 16,
      allocation_ratio: 4,
      reserved: 0,
      min_unit: 1,
      max_unit: 2147483647,
    });
    expect(byClass["MEMORY_MB"]).toMatchObject({ total: 32768, reserved: 512 });
    const err = await oscFails(["resource", "provider", "inventory", "set", rp.uuid, "--resource", "CUSTOM_NOPE=1"]);
    expect(err).toMatch(/400|CUSTOM_NOPE/);
  });

  it("creates resource classes and traits, and sets a provider's traits", async () => {
    await osc(["resource", "class", "create", "CUSTOM_OSC_GPU"], "1.39", false);
    const classes = (await osc(["resource", "class", "list"])) as Array<{ name: string }>;
    expect(classes.map((c) => c.name)).toEqual(expect.arrayContaining(["VCPU", "CUSTOM_OSC_GPU"]));
    expect(await oscFails(["resource", "class", "create", "NOT_CUSTOM"])).toMatch(/400|CUSTOM_/);

    await osc(["trait", "create", "CUSTOM_OSC_FAST"], "1.39", false);
    const traits = (await osc(["trait", "list"])) as Array<{ name: string }>;
    expect(traits.map((t) => t.name)).toEqual(expect.arrayContaining(["CUSTOM_OSC_FAST", "HW_CPU_X86_AVX2"]));

    const rp = await osc(["resource", "provider", "create", "osc-traits"]);
    const set = (await osc([
      "resource",
      "provider",
      "trait",
      "set",
      "--trait",
      "CUSTOM_OSC_FAST",
      "--trait",
      "HW_CPU_X86_AVX2",
      rp.uuid,
    ])) as Array<{ name: string }>;
    expect(set.map((t) => t.name).sort()).toEqual(["CUSTOM_OSC_FAST", "HW_CPU_X86_AVX2"]);
    const listed = (await osc(["resource", "provider", "trait", "list", rp.uuid])) as Array<{ name: string }>;
    expect(listed.map((t) => t.name).sort()).toEqual(["CUSTOM_OSC_FAST", "HW_CPU_X86_AVX2"]);
  });

  it("lists allocation candidates with required traits, allocates, and shows usages", async () => {
    const fast = await osc(["resource", "provider", "create", "osc-cand-fast"]);
    const slow = await osc(["resource", "provider", "create", "osc-cand-slow"]);
    for (const rp of [fast, slow]) {
      await osc([
        "resource",
        "provider",
        "inventory",
        "set",
        rp.uuid,
        "--resource",
        "VCPU=8",
        "--resource",
        "MEMORY_MB=4096",
      ]);
    }
    await osc(["resource", "provider", "trait", "set", "--trait", "HW_CPU_X86_AVX2", fast.uuid]);

    const candidates = (await osc([
      "allocation",
      "candidate",
      "list",
      "--resource",
      "VCPU=1",
      "--required",
      "HW_CPU_X86_AVX2",
    ])) as Array<Record<string, unknown>>;
    const providers = new Set(candidates.map((c) => c["resource provider"]));
    expect(providers.has(fast.uuid)).toBe(true);
    expect(providers.has(slow.uuid)).toBe(false);

    const consumer = "7a3f2c5e-1b4d-4e8f-9a6b-2c3d4e5f6a7b";
    const project = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    await osc([
      "resource",
      "provider",
      "allocation",
      "set",
      consumer,
      "--allocation",
      `rp=${fast.uuid},VCPU=2,MEMORY_MB=1024`,
      "--project-id",
      project,
      "--user-id",
      project,
      "--consumer-type",
      "INSTANCE",
    ]);
    const usage = (await osc(["resource", "provider", "usage", "show", fast.uuid])) as Array<{
      resource_class: string;
      usage: number;
    }>;
    expect(Object.fromEntries(usage.map((u) => [u.resource_class, u.usage]))).toEqual({ VCPU: 2, MEMORY_MB: 1024 });
    const shown = (await osc(["resource", "provider", "allocation", "show", consumer])) as Array<
      Record<string, unknown>
    >;
    expect(shown[0]).toMatchObject({ resource_provider: fast.uuid, resources: { VCPU: 2, MEMORY_MB: 1024 } });

    // more than the provider has: Placement's 409, reported by the client
    const err = await oscFails([
      "resource",
      "provider",
      "allocation",
      "set",
      "1b2c3d4e-5f60-4718-89a0-b1c2d3e4f5a6",
      "--allocation",
      `rp=${fast.uuid},VCPU=100`,
      "--project-id",
      project,
      "--user-id",
      project,
      "--consumer-type",
      "INSTANCE",
    ]);
    expect(err).toMatch(/409|Unable to allocate|exceed/i);
  });

  it("keeps providers, inventories, traits and allocations across a restart (SQLite in the data dir)", async () => {
    const rp = await osc(["resource", "provider", "create", "osc-durable"]);
    await osc(["resource", "provider", "inventory", "set", rp.uuid, "--resource", "VCPU=4"]);
    await osc(["resource", "provider", "trait", "set", "--trait", "HW_CPU_X86_SSE42", rp.uuid]);
    const consumer = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f";
    const ids = ["--project-id", "p", "--user-id", "u", "--consumer-type", "INSTANCE"];
    await osc(["resource", "provider", "allocation", "set", consumer, "--allocation", `rp=${rp.uuid},VCPU=3`, ...ids]);
    const before = await osc(["resource", "provider", "show", rp.uuid]);

    await restart();
    expect(await osc(["resource", "provider", "show", rp.uuid])).toEqual(before);
    const usage = (await osc(["resource", "provider", "usage", "show", rp.uuid])) as Array<{ usage: number }>;
    expect(usage.map((u) => u.usage)).toEqual([3]);
    const traits = (await osc(["resource", "provider", "trait", "list", rp.uuid])) as Array<{ name: string }>;
    expect(traits.map((t) => t.name)).toEqual(["HW_CPU_X86_SSE42"]);
    // the room left is exactly one VCPU
    const err = await oscFails([
      "resource",
      "provider",
      "allocation",
      "set",
      "6e7f8091-ab2c-4d3e-9f40-5b6c7d8e9fa0",
      "--allocation",
      `rp=${rp.uuid},VCPU=2`,
      ...ids,
    ]);
    expect(err).toMatch(/409|Unable to allocate|exceed/i);
  });
});
