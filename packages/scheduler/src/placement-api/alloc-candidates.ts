/**
 * `GET /allocation_candidates` (1.10+): placement/handlers/allocation_candidate.py. The engine
 * answers in the 1.34 shape; this route gates the query by microversion and reshapes the answer:
 * list-form requests before 1.12, `mappings` from 1.34, summaries with only the requested classes
 * before 1.27, traits from 1.17, parent/root from 1.29, and before 1.29 no request that takes from
 * two providers of one tree.
 */
import type { ServiceApp } from "@stratus/core/http";
import {
  type AllocationCandidates,
  type AllocationRequest,
  allocationCandidates,
  allocationCandidatesBody,
  type ProviderSummary,
} from "../placement/candidates.js";
import { parseCandidatesQuery } from "../placement/query.js";
import type { PlacementState } from "../placement/state.js";
import { gateCandidatesQuery } from "./alloc-candidates-gate.js";
import { cacheHeaders, requireVersion, versionOf } from "./alloc-wire.js";
import type { PlacementRouteContext } from "./context.js";
import { ReplyBuffers } from "./reply-buffers.js";

/** Before 1.29 Placement is blind to nesting: each provider of a request must be in its own tree. */
function withoutNested(state: PlacementState, found: AllocationCandidates, limit: number | null): AllocationCandidates {
  const requests = found.allocation_requests.filter((r) => {
    const rps = Object.keys(r.allocations);
    return new Set(rps.map((rp) => state.peek(rp)?.rootUuid ?? rp)).size === rps.length;
  });
  const kept = limit === null ? requests : requests.slice(0, limit);
  const used = new Set(kept.flatMap((r) => Object.keys(r.allocations)));
  const summaries = Object.fromEntries(Object.entries(found.provider_summaries).filter(([rp]) => used.has(rp)));
  return { allocation_requests: kept, provider_summaries: summaries };
}

function requestView(r: AllocationRequest, at: (v: string) => boolean): unknown {
  if (!at("1.12")) {
    return {
      allocations: Object.entries(r.allocations).map(([uuid, a]) => ({
        resource_provider: { uuid },
        resources: a.resources,
      })),
    };
  }
  return at("1.34") ? { allocations: r.allocations, mappings: r.mappings } : { allocations: r.allocations };
}

function summaryView(s: ProviderSummary, requested: ReadonlySet<string>, at: (v: string) => boolean): unknown {
  const all = at("1.27");
  const out: Record<string, unknown> = {
    resources: Object.fromEntries(Object.entries(s.resources).filter(([rc]) => all || requested.has(rc))),
  };
  if (at("1.17")) out["traits"] = s.traits;
  if (at("1.29")) {
    out["parent_provider_uuid"] = s.parent_provider_uuid;
    out["root_provider_uuid"] = s.root_provider_uuid;
  }
  return out;
}

export function registerCandidateRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  const buffers = new ReplyBuffers();
  app.get("/allocation_candidates", async (request, reply) => {
    requireVersion(request, "1.10");
    ctx.authorize(request, "placement:allocation_candidates:list");
    const at = versionOf(request);
    const raw = request.raw.url ?? "";
    const q = raw.indexOf("?");
    const entries = [...new URLSearchParams(q < 0 ? "" : raw.slice(q + 1))];
    const state = ctx.store.state;
    const query = parseCandidatesQuery(new URLSearchParams(gateCandidatesQuery(entries, at)), state);
    if (at("1.34")) {
      // from 1.34 the engine's answer is the wire shape: written as bytes directly, no objects per candidate
      cacheHeaders(request, reply);
      const body = allocationCandidatesBody(state, query, {}, buffers);
      buffers.reuseAfter(reply.raw, body);
      return reply.type("application/json").send(body);
    }
    const found = at("1.29")
      ? allocationCandidates(state, query)
      : withoutNested(state, allocationCandidates(state, { ...query, limit: null }), query.limit);
    const requested = new Set(query.groups.flatMap((g) => Object.keys(g.resources)));
    cacheHeaders(request, reply);
    return {
      allocation_requests: found.allocation_requests.map((r) => requestView(r, at)),
      provider_summaries: Object.fromEntries(
        Object.entries(found.provider_summaries).map(([rp, s]) => [rp, summaryView(s, requested, at)]),
      ),
    };
  });
}
