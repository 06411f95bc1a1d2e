/**
 * What the allocation routes share: turning a consumer's wire body into a ClaimRequest, cache
 * headers, version gating and Placement's wording of errors raised by the state.
 */
import { StratusError } from "@stratus/core/errors";
import { httpLayerError } from "@stratus/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { placementBadRequest } from "../placement/errors.js";
import type { ClaimRequest, Resources } from "../placement/model.js";
import type { PlacementState } from "../placement/state.js";
import { mv } from "./context.js";

/** Placement's `incomplete_consumer_project_id` / `_user_id`: owner of consumers written before 1.8. */
export const INCOMPLETE_CONSUMER_ID = "00000000-0000-0000-0000-000000000000";

/** A consumer's allocations as any microversion sends them (list form already turned into a dict). */
export interface ConsumerWrite {
  readonly allocations: Readonly<Record<string, { readonly resources: Resources }>>;
  readonly project_id?: string;
  readonly user_id?: string;
  readonly consumer_generation?: number | null;
  readonly consumer_type?: string;
}

/** A version predicate bound to the request: `at("1.28")` is true from 1.28 on. */
export function versionOf(request: FastifyRequest): (v: string) => boolean {
  return (v) => mv(request, v);
}

/**
 * The claim for one consumer. Before 1.28 callers send no consumer generation, so the current
 * one is used (call inside `store.write`, where it cannot change underneath).
 */
export function claimOf(
  state: PlacementState,
  consumer: string,
  body: ConsumerWrite,
  at: (v: string) => boolean,
): ClaimRequest {
  const current = state.getAllocations(consumer);
  return {
    allocations: Object.fromEntries(Object.entries(body.allocations).map(([rp, a]) => [rp, a.resources])),
    consumerGeneration: at("1.28") ? (body.consumer_generation ?? null) : (current?.generation ?? null),
    projectId: body.project_id ?? INCOMPLETE_CONSUMER_ID,
    userId: body.user_id ?? INCOMPLETE_CONSUMER_ID,
    ...(body.consumer_type === undefined ? {} : { consumerType: body.consumer_type }),
  };
}

/** Runs `fn`; an unknown resource class from the state becomes Placement's 400 with `prefix`. */
export async function wordingClassNotFound<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (StratusError.is(e) && e.details["notFound"] === "resource_class") {
      throw placementBadRequest(`${prefix}${e.message}`);
    }
    throw e;
  }
}

/** Throws the bare 404 Placement sends for a route outside its microversions. */
export function requireVersion(request: FastifyRequest, min: string): void {
  if (!mv(request, min)) throw httpLayerError("not_found", "");
}

/** Placement's `require_content`: a body-taking route refuses any other Content-Type with 415. */
export function requireJsonBody(request: FastifyRequest): void {
  const type = String(request.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  if (type !== "application/json") {
    throw httpLayerError(
      "unsupported_media_type",
      `The media type ${type === "" ? "None" : type} is not supported, use application/json`,
    );
  }
}

/** From 1.15, GETs say `cache-control: no-cache` and a `last-modified` (we keep no times: now). */
export function cacheHeaders(request: FastifyRequest, reply: FastifyReply): void {
  if (!mv(request, "1.15")) return;
  reply.header("cache-control", "no-cache").header("last-modified", new Date().toUTCString());
}

const UUID_LIKE = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** A UUID in any form oslo's is_uuid_like accepts, as the dashed lowercase form, or undefined. */
export function normalizedUuid(value: string): string | undefined {
  const m = UUID_LIKE.exec(value.replace(/^urn:uuid:/i, ""));
  return m === null ? undefined : m.slice(1).join("-").toLowerCase();
}
