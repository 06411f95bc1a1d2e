/**
 * The five routes every Neutron collection has (list, show, create, update, delete), with the
 * generic list handling, `fields` on show, and the caller derived from the request context.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { resourceNotFound } from "../domain/faults.js";
import type { Caller } from "../service/context.js";
import { listPage, listRequest, project } from "./list.js";

type Query = Record<string, string | string[] | undefined>;
type Row = Record<string, unknown>;

export interface ApiSettings {
  /** Roles that make a caller an admin. */
  readonly adminRoles: readonly string[];
  /** Public base URL for links, or null to use the request's host. */
  readonly publicUrl: string | null;
}

/** The caller of a protected route. */
export function callerOf(request: FastifyRequest, settings: ApiSettings): Caller {
  const auth = request.auth;
  const isAdmin = auth?.isAdmin === true || (auth?.roles ?? []).some((r) => settings.adminRoles.includes(r));
  return { projectId: auth?.projectId ?? null, isAdmin };
}

export function baseUrl(request: FastifyRequest, settings: ApiSettings): string {
  return (settings.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, "");
}

/** What a collection's routes need from its service. */
export interface CollectionSpec<T> {
  /** `network`: the body key of one. */
  readonly singular: string;
  /** `networks`: the list key (and the path segment unless `path` is given). */
  readonly plural: string;
  /** The path segment when it differs from `plural` (`security-groups`). */
  readonly path?: string;
  /** The resource kind named in NotFound faults. */
  readonly kind: string;
  /** Every attribute (filters and sort keys are checked against these). */
  readonly attributes: readonly string[];
  /** Renders a record for this caller (policy may hide attributes). */
  view(caller: Caller, record: T): Row;
  list(caller: Caller): Promise<T[]>;
  get(caller: Caller, id: string): Promise<T>;
  create?(caller: Caller, body: unknown): Promise<T>;
  update?(caller: Caller, id: string, body: unknown): Promise<T>;
  delete?(caller: Caller, id: string): Promise<void>;
}

/** Registers `GET/POST /v2.0/<plural>` and `GET/PUT/DELETE /v2.0/<plural>/:id`. */
export function registerCollection<T>(app: ServiceApp, settings: ApiSettings, spec: CollectionSpec<T>): void {
  const path = `/v2.0/${spec.path ?? spec.plural}`;
  app.get(path, async (request) => {
    const caller = callerOf(request, settings);
    const query = request.query as Query;
    const req = listRequest(query, spec.attributes, spec.attributes.includes("tags"));
    const rows = (await spec.list(caller)).map((r) => spec.view(caller, r));
    const page = listPage(rows, req, {
      collection: spec.plural,
      collectionUrl: `${baseUrl(request, settings)}${path}`,
      query,
      markerNotFound: (id) => resourceNotFound(spec.kind, id),
    });
    return { [spec.plural]: page.rows, ...page.links };
  });

  app.get(`${path}/:id`, async (request) => {
    const caller = callerOf(request, settings);
    const { id } = request.params as { id: string };
    const fields = listRequest({ fields: (request.query as Query)["fields"] }, spec.attributes, false).fields;
    return { [spec.singular]: project(spec.view(caller, await spec.get(caller, id)), fields) };
  });

  const { create, update, delete: remove } = spec;
  if (create !== undefined)
    app.post(path, async (request, reply) => {
      const caller = callerOf(request, settings);
      const body = request.body as Row | undefined;
      const bulk = body?.[spec.plural];
      if (Array.isArray(bulk)) {
        // Neutron's emulated bulk: all or nothing
        const made: T[] = [];
        try {
          for (const item of bulk) made.push(await create(caller, { [spec.singular]: item }));
        } catch (err) {
          for (const m of made.reverse()) await remove?.(caller, String((m as Row)["id"])).catch(() => undefined);
          throw err;
        }
        return reply.code(201).send({ [spec.plural]: made.map((m) => spec.view(caller, m)) });
      }
      return reply.code(201).send({ [spec.singular]: spec.view(caller, await create(caller, body)) });
    });
  if (update !== undefined)
    app.put(`${path}/:id`, async (request) => {
      const caller = callerOf(request, settings);
      const { id } = request.params as { id: string };
      return { [spec.singular]: spec.view(caller, await update(caller, id, request.body)) };
    });
  if (remove !== undefined)
    app.delete(`${path}/:id`, async (request, reply) => {
      const caller = callerOf(request, settings);
      const { id } = request.params as { id: string };
      await remove(caller, id);
      return reply.code(204).send();
    });
}
