/**
 * `POST /reshaper` (1.30): replaces providers' inventories and consumers' allocations in one
 * atomic step (placement/handlers/reshaper.py), e.g. when VCPU moves from a compute node to its
 * NUMA children.
 */
import { badRequest } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { InventoryInput, ReshapeInventories } from "../placement/model.js";
import { reshaperSchema, validateBody } from "./alloc-schemas.js";
import {
  type ConsumerWrite,
  claimOf,
  requireJsonBody,
  requireVersion,
  versionOf,
  wordingClassNotFound,
} from "./alloc-wire.js";
import type { PlacementRouteContext } from "./context.js";

interface ReshaperBody {
  readonly inventories: Readonly<
    Record<
      string,
      {
        readonly resource_provider_generation: number;
        readonly inventories: Readonly<Record<string, InventoryInput & { resource_provider_generation?: number }>>;
      }
    >
  >;
  readonly allocations: Readonly<Record<string, ConsumerWrite>>;
}

export function registerReshaperRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  app.post("/reshaper", async (request, reply) => {
    requireVersion(request, "1.30");
    requireJsonBody(request);
    ctx.authorize(request, "placement:reshaper:reshape");
    const at = versionOf(request);
    const body = validateBody(reshaperSchema(at), request.body) as ReshaperBody;
    const providers = Object.keys(body.inventories);
    const inventories: Record<string, ReshapeInventories> = {};
    for (const [rp, want] of Object.entries(body.inventories)) {
      inventories[rp] = {
        generation: want.resource_provider_generation,
        inventories: Object.fromEntries(
          Object.entries(want.inventories).map(([rc, { resource_provider_generation: _, ...inv }]) => [rc, inv]),
        ),
      };
    }
    await wordingClassNotFound("malformed reshaper data: ", () =>
      ctx.store.write(
        (s) => {
          for (const rp of providers) {
            if (s.peek(rp) === undefined) {
              throw badRequest(
                `Resource provider ${rp} in inventories not found: No resource provider with uuid ${rp} found`,
                { details: { errorCode: "placement.resource_provider.not_found" } },
              );
            }
          }
          const claims = Object.fromEntries(
            Object.entries(body.allocations).map(([c, b]) => [c, claimOf(s, c, b, at)]),
          );
          return s.reshape(inventories, claims);
        },
        { consumers: Object.keys(body.allocations), providers },
      ),
    );
    return reply.code(204).send();
  });
}
