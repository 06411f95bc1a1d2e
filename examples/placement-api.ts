/**
 * @stratus/scheduler/api: the Placement REST API on loopback, called over real HTTP the way Nova
 * calls it: a compute node and its inventory, allocation candidates for a flavor, a claim with
 * a consumer generation, and the 409 a second claim on a full host gets.
 */
import { randomUUID } from "node:crypto";
import { createServiceApp, StaticAuthenticator, UPSTREAM_MICROVERSIONS } from "@stratus/core/http";
import { MemoryPlacementStore, PlacementState } from "@stratus/scheduler";
import { registerPlacementRoutes } from "@stratus/scheduler/api";

const app = createServiceApp({
  service: "placement",
  microversions: UPSTREAM_MICROVERSIONS.placement,
  authenticator: new StaticAuthenticator({ "nova-token": { userId: "nova", projectId: "service", roles: ["admin"] } }),
  identityUri: "http://127.0.0.1:5000",
});
registerPlacementRoutes(app, { store: new MemoryPlacementStore(new PlacementState()) });
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

// biome-ignore lint/suspicious/noExplicitAny: the example reads the JSON bodies freely
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      "x-auth-token": "nova-token",
      "openstack-api-version": "placement 1.39",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : JSON.parse(text) };
}

// a compute node: 8 VCPUs (overcommitted 2x) and 16 GiB
const node = (await call("POST", "/resource_providers", { name: "compute-1" })).json;
await call("PUT", `/resource_providers/${node.uuid}/inventories`, {
  resource_provider_generation: node.generation,
  inventories: { VCPU: { total: 8, allocation_ratio: 2 }, MEMORY_MB: { total: 16384 } },
});

// a flavor with 12 VCPUs and 12 GiB: one candidate, on compute-1
const wanted = "resources=VCPU:12,MEMORY_MB:12288";
const candidates = (await call("GET", `/allocation_candidates?${wanted}`)).json;
console.log(`candidates: ${candidates.allocation_requests.length}`);

// claim it for an instance, as the scheduler does (consumer_generation null: a new consumer)
const claim = (instance: string) =>
  call("PUT", `/allocations/${instance}`, {
    allocations: candidates.allocation_requests[0].allocations,
    consumer_generation: null,
    project_id: randomUUID(),
    user_id: randomUUID(),
    consumer_type: "INSTANCE",
  });
const first = await claim(randomUUID());
console.log(`first claim: ${first.status}`);

// a second instance of the same size no longer fits: 409 with Placement's error body
const second = await claim(randomUUID());
console.log(`second claim: ${second.status} ${second.json.errors[0].title}`);
const usages = (await call("GET", `/resource_providers/${node.uuid}/usages`)).json.usages;
console.log(`usages: VCPU ${usages.VCPU}, MEMORY_MB ${usages.MEMORY_MB}`);

await app.close();
const ok = candidates.allocation_requests.length === 1 && first.status === 204 && second.status === 409;
console.log(ok ? "ok" : "unexpected result");
process.exitCode = ok ? 0 : 1;
