/**
 * `/resource_providers/{uuid}/inventories[/{rc}]`: read, replace all (generation-checked), delete
 * all (1.5+), create one, read/update/delete one. Checks run inside the write, in Placement's
 * order, so the messages and codes are Placement's.
 */
import { badRequest, methodNotAllowed, notFound } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { concurrentUpdate, PLACEMENT_CODES, placementConflict } from "../placement/errors.js";
import type { Inventory } from "../placement/model.js";
import type { PlacementState } from "../placement/state.js";
import { mv, type PlacementRouteContext } from "./context.js";
import { InventoriesSet, InventoryCreate, InventoryRecord, InventoryUpdate, isRcName, MAX_INT } from "./rp-schemas.js";
import { cacheHeaders, empty, parseBody, providerNotFound } from "./rp-wire.js";

const Params = z.object({ uuid: z.string() });
const ClassParams = z.object({ uuid: z.string(), resource_class: z.string() });

/** Inventory fields as sent: only total is required. */
interface InventoryFields {
  readonly total: number;
  readonly reserved?: number | undefined;
  readonly min_unit?: number | undefined;
  readonly max_unit?: number | undefined;
  readonly step_size?: number | undefined;
  readonly allocation_ratio?: number | undefined;
}

/** Placement's defaults for omitted fields (max_unit is MAX_INT, not total). */
function withDefaults(input: InventoryFields): Inventory {
  return {
    total: input.total,
    reserved: input.reserved ?? 0,
    min_unit: input.min_unit ?? 1,
    max_unit: input.max_unit ?? MAX_INT,
    step_size: input.step_size ?? 1,
    allocation_ratio: input.allocation_ratio ?? 1,
  };
}

const view = (inv: Inventory) => ({
  total: inv.total,
  reserved: inv.reserved,
  min_unit: inv.min_unit,
  max_unit: inv.max_unit,
  step_size: inv.step_size,
  allocation_ratio: inv.allocation_ratio,
});

/** One inventory with the generation, as Placement sends it (the generation is left out when 0). */
const oneBody = (inv: Inventory, generation: number) => ({
  ...view(inv),
  ...(generation === 0 ? {} : { resource_provider_generation: generation }),
});

/** Capacity must stay positive (before 1.26) or non-negative (1.26+: reserved may equal total). */
function checkCapacity(request: FastifyRequest, uuid: string, rc: string, inv: Inventory, prefix: string): void {
  const capacity = Math.trunc((inv.total - inv.reserved) * inv.allocation_ratio);
  const equalOk = mv(request, "1.26");
  if (equalOk ? capacity < 0 : capacity <= 0) {
    const what = equalOk ? "greater than" : "greater than or equal to";
    throw badRequest(
      `${prefix}${uuid}: Invalid inventory for '${rc}' on resource provider '${uuid}'. The reserved value is ${what} total.`,
    );
  }
}

/** Classes of `next` that would drop allocations; Placement lists them joined by ", ". */
function inUse(s: PlacementState, uuid: string, keep: ReadonlySet<string>): string[] {
  const node = s.peek(uuid)!;
  return [...node.usages].filter(([rc, n]) => n > 0 && !keep.has(rc)).map(([rc]) => rc);
}

function nodeOf(s: PlacementState, uuid: string) {
  const node = s.peek(uuid);
  if (node === undefined) throw providerNotFound(uuid);
  return node;
}

export function registerInventoryRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  const { store } = ctx;
  const base = "/resource_providers/:uuid/inventories";

  app.get(base, { schema: { params: Params } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:inventories:list");
    const node = store.state.peek(request.params.uuid);
    if (node === undefined)
      throw providerNotFound(request.params.uuid, ` : No resource provider with uuid ${request.params.uuid} found`);
    cacheHeaders(request, reply);
    const inventories = Object.fromEntries([...node.inventories].map(([rc, inv]) => [rc, view(inv)]));
    return { resource_provider_generation: node.generation, inventories };
  });

  app.put(base, { schema: { params: Params } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:inventories:update");
    const { uuid } = request.params;
    nodeOf(store.state, uuid);
    const body = parseBody(InventoriesSet, request.body);
    const wanted = new Map<string, Inventory>();
    for (const [rc, raw] of Object.entries(body.inventories)) {
      const record = isRcName(rc)
        ? parseBody(z.object({ inventories: z.object({ [rc]: InventoryRecord }) }), request.body).inventories[rc]!
        : (raw as InventoryFields);
      wanted.set(rc, withDefaults(record));
    }
    const generation = await store.write(
      (s) => {
        if (nodeOf(s, uuid).generation !== body.resource_provider_generation) {
          throw concurrentUpdate("resource provider generation conflict");
        }
        const prefix = "Unable to update inventory for resource provider ";
        for (const [rc, inv] of wanted) checkCapacity(request, uuid, rc, inv, prefix);
        for (const rc of wanted.keys()) {
          if (!s.hasResourceClass(rc)) {
            throw badRequest(
              `Unknown resource class in inventory for resource provider ${uuid}: No such resource class ${rc}.`,
            );
          }
        }
        const busy = inUse(s, uuid, new Set(wanted.keys()));
        if (busy.length > 0) {
          throw placementConflict(
            `update conflict: Inventory for '${busy.join(", ")}' on resource provider '${uuid}' in use.`,
            PLACEMENT_CODES.inventoryInUse,
          );
        }
        return s.setInventories(uuid, body.resource_provider_generation, Object.fromEntries(wanted));
      },
      { providers: [uuid] },
    );
    cacheHeaders(request, reply);
    return {
      resource_provider_generation: generation,
      inventories: Object.fromEntries([...wanted].map(([rc, i]) => [rc, view(i)])),
    };
  });

  app.delete(base, { schema: { params: Params } }, async (request, reply) => {
    if (!mv(request, "1.5")) throw methodNotAllowed("");
    ctx.authorize(request, "placement:resource_providers:inventories:delete");
    const { uuid } = request.params;
    nodeOf(store.state, uuid);
    await store.write(
      (s) => {
        const busy = inUse(s, uuid, new Set());
        if (busy.length > 0) {
          throw placementConflict(
            `Inventory for '${busy.join(", ")}' on resource provider '${uuid}' in use.`,
            PLACEMENT_CODES.inventoryInUse,
          );
        }
        s.setInventories(uuid, nodeOf(s, uuid).generation, {});
      },
      { providers: [uuid] },
    );
    return empty(reply, 204);
  });

  app.post(base, { schema: { params: Params } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:inventories:create");
    const { uuid } = request.params;
    nodeOf(store.state, uuid);
    const {
      resource_class: rc,
      resource_provider_generation: _ignored,
      ...fields
    } = parseBody(InventoryCreate, request.body);
    const inv = withDefaults(fields);
    const generation = await store.write(
      (s) => {
        const node = nodeOf(s, uuid);
        checkCapacity(request, uuid, rc, inv, "Unable to create inventory for resource provider ");
        if (!s.hasResourceClass(rc)) {
          throw badRequest(`Unable to create inventory for resource provider ${uuid}: No such resource class ${rc}.`);
        }
        if (node.inventories.has(rc)) {
          throw placementConflict(
            `Update conflict: Inventory for '${rc}' on resource provider '${uuid}' already exists.`,
            PLACEMENT_CODES.concurrentUpdate,
          );
        }
        return s.setInventories(uuid, node.generation, { ...Object.fromEntries(node.inventories), [rc]: inv });
      },
      { providers: [uuid] },
    );
    reply.header("location", `/resource_providers/${uuid}/inventories/${rc}`);
    cacheHeaders(request, reply);
    return reply.code(201).send(oneBody(inv, generation));
  });

  app.get(`${base}/:resource_class`, { schema: { params: ClassParams } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:inventories:show");
    const { uuid, resource_class: rc } = request.params;
    const node = store.state.peek(uuid);
    if (node === undefined) throw providerNotFound(uuid, ` : No resource provider with uuid ${uuid} found`);
    const inv = node.inventories.get(rc);
    if (inv === undefined) throw notFound(`No inventory of class ${rc} for ${uuid}`);
    cacheHeaders(request, reply);
    return oneBody(inv, node.generation);
  });

  app.put(`${base}/:resource_class`, { schema: { params: ClassParams } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:inventories:update");
    const { uuid, resource_class: rc } = request.params;
    nodeOf(store.state, uuid);
    const { resource_provider_generation: expected, ...fields } = parseBody(InventoryUpdate, request.body);
    const inv = withDefaults(fields);
    const generation = await store.write(
      (s) => {
        const node = nodeOf(s, uuid);
        if (node.generation !== expected) throw concurrentUpdate("resource provider generation conflict");
        checkCapacity(request, uuid, rc, inv, "Unable to update inventory for resource provider ");
        if (!s.hasResourceClass(rc)) throw notFound(`No such resource class ${rc}.`);
        if (!node.inventories.has(rc)) {
          throw badRequest(
            `No inventory record with resource class for resource provider ${uuid}: No inventory of class ${rc} found.`,
          );
        }
        return s.setInventories(uuid, expected, { ...Object.fromEntries(node.inventories), [rc]: inv });
      },
      { providers: [uuid] },
    );
    cacheHeaders(request, reply);
    return oneBody(inv, generation);
  });

  app.delete(`${base}/:resource_class`, { schema: { params: ClassParams } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:inventories:delete");
    const { uuid, resource_class: rc } = request.params;
    nodeOf(store.state, uuid);
    await store.write(
      (s) => {
        const node = nodeOf(s, uuid);
        if (!s.hasResourceClass(rc))
          throw notFound(`No inventory of class ${rc} found for delete: No such resource class ${rc}.`);
        if (!node.inventories.has(rc)) {
          throw notFound(`No inventory of class ${rc} found for delete: No inventory of class ${rc} found for delete`);
        }
        if ((node.usages.get(rc) ?? 0) > 0) {
          // Placement reports this one with the concurrent-update code.
          throw placementConflict(
            `Unable to delete inventory of class ${rc}: Inventory for '${rc}' on resource provider '${uuid}' in use.`,
            PLACEMENT_CODES.concurrentUpdate,
          );
        }
        const rest = Object.fromEntries([...node.inventories].filter(([k]) => k !== rc));
        s.setInventories(uuid, node.generation, rest);
      },
      { providers: [uuid] },
    );
    return empty(reply, 204);
  });
}
