/**
 * `/v2.0/quotas`: list (admin), show, defaults, details, update (admin), reset (admin).
 */
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { QUOTA_RESOURCES } from "../config.js";
import type { QuotaService } from "../service/quotas.js";
import { type BodySpec, nInt, parseUpdate } from "./body.js";
import { type ApiSettings, callerOf } from "./resource-routes.js";

const limit = nInt.pipe(
  z.number().min(-1, { error: (i) => `'${String(i.input)}' should be greater than or equal to -1` }),
);

export const quotaBody = {
  resource: "quota",
  attributes: QUOTA_RESOURCES,
  create: z.object({}),
  update: z.object(Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, limit.optional()]))),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

export function registerQuotaRoutes(app: ServiceApp, settings: ApiSettings, quotas: QuotaService): void {
  const project = (request: { params: unknown }) => (request.params as { project_id: string }).project_id;
  app.get("/v2.0/quotas", async (request) => ({ quotas: await quotas.list(callerOf(request, settings)) }));
  app.get("/v2.0/quotas/:project_id", async (request) => ({
    quota: await quotas.get(callerOf(request, settings), project(request)),
  }));
  app.get("/v2.0/quotas/:project_id/default", async () => ({ quota: quotas.defaults() }));
  app.get("/v2.0/quotas/:project_id/details", async (request) => ({
    quota: await quotas.details(callerOf(request, settings), project(request)),
  }));
  app.put("/v2.0/quotas/:project_id", async (request) => {
    const limits = parseUpdate(quotaBody, request.body) as Record<string, number | undefined>;
    const set = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
    return { quota: await quotas.update(callerOf(request, settings), project(request), set) };
  });
  app.delete("/v2.0/quotas/:project_id", async (request, reply) => {
    await quotas.reset(callerOf(request, settings), project(request));
    return reply.code(204).send();
  });
}
