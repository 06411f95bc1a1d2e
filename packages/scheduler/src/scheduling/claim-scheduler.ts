/**
 * Select and claim (Nova's SchedulerManager.select_destinations with Placement claims) and
 * reschedule onto alternates (Nova's conductor after a failed build).
 *
 * Per instance: the hosts Placement has candidates for are filtered and weighed; the best host's
 * allocation request is claimed with a null consumer generation. A claim lost to another writer
 * (a 409) drops that host and the next best one is tried, walking the whole ranked list as Nova's
 * scheduler does, so concurrent requests fill every last slot instead of giving up after a few
 * collisions. When no host is left, the claims already made for the request are released and
 * NoValidHost is thrown. `maxAttempts` bounds the hosts kept per instance for the build: the
 * claimed one plus `maxAttempts - 1` alternates that `reschedule` walks.
 */
import { badRequest, noValidHost, StratusError } from "@stratus/core/errors";
import { z } from "zod";
import type { AllocationCandidates } from "../placement/candidates.js";
import type { Resources } from "../placement/model.js";
import type { HostState } from "../selection/host-state.js";
import type { RequestSpec } from "../selection/request-spec.js";
import type { Selector } from "../selection/selector.js";
import { candidatesQueryFor } from "./candidates-query.js";
import type { ClaimFailure, ConsumerOwner, HostChoice, InstancePlacement } from "./claim-types.js";
import { consumeClaimedHost, joinServerGroup } from "./consume-claimed.js";
import type { HostStateSource, PlacementClient } from "./ports.js";

/** Tunables, validated once (Nova's `[scheduler] max_attempts` and `max_placement_results`). */
export const ClaimSchedulerOptionsSchema = z.object({
  maxAttempts: z.number().int().min(1).default(3),
  candidateLimit: z.number().int().min(1).default(1000),
});

/** What `createClaimScheduler` takes. */
export type ClaimSchedulerOptions = z.input<typeof ClaimSchedulerOptionsSchema> & {
  /** Placement: candidates, claims, releases. */
  readonly placement: PlacementClient;
  /** HostState per compute node. */
  readonly hostStates: HostStateSource;
  /** Filters and weighers; build it with `maxAttempts` at least this one's to get every alternate. */
  readonly selector: Selector;
};

/** Select-and-claim plus reschedule. */
export interface ClaimScheduler {
  /**
   * Places and claims `spec.numInstances` instances (`spec.instanceUuids`, one per instance) and
   * returns one InstancePlacement each, in order. All or nothing: on failure the claims made for
   * this request are released. Throws no_valid_host (details: `trace`, `instance`,
   * `claimFailures`), bad_request when the UUIDs do not match the count or the query is refused,
   * and any other Placement error as is (after releasing).
   */
  selectDestinations(spec: RequestSpec, owner: ConsumerOwner): Promise<InstancePlacement[]>;
  /**
   * After a failed build: releases the instance's allocations and claims the next alternate that
   * still fits. Returns the new placement (attempt + 1). Throws no_valid_host ("Exhausted all
   * hosts ...", details `claimFailures`) when no alternate is left; the old claim stays released.
   */
  reschedule(placement: InstancePlacement): Promise<InstancePlacement>;
}

const keyOf = (h: HostState): string => `${h.host}\u0000${h.nodename}`;

/** Builds a ClaimScheduler; throws a ZodError for bad tunables. */
export function createClaimScheduler(options: ClaimSchedulerOptions): ClaimScheduler {
  const o = ClaimSchedulerOptionsSchema.parse({
    maxAttempts: options.maxAttempts,
    candidateLimit: options.candidateLimit,
  });
  const { placement, hostStates, selector } = options;

  /** Claims `choice` for the instance; returns the failure when Placement says no for this host. */
  async function tryClaim(instanceUuid: string, owner: ConsumerOwner, choice: HostChoice) {
    try {
      await placement.claim(instanceUuid, choice.allocations, null, owner.projectId, owner.userId);
      return undefined;
    } catch (error) {
      // A lost race (409) or a provider gone since the candidates were read: this host is out,
      // the next one may do. Anything else (Placement down, a bug) ends the request.
      if (!StratusError.is(error) || !["conflict", "bad_request", "not_found"].includes(error.code)) throw error;
      const failure: ClaimFailure = {
        host: choice.host.host,
        computeNodeUuid: choice.computeNodeUuid,
        reason: error.message,
      };
      return failure;
    }
  }

  async function releaseAll(instanceUuids: readonly string[]): Promise<unknown[]> {
    const results = await Promise.allSettled(instanceUuids.map((u) => placement.release(u)));
    return results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
  }

  return {
    async selectDestinations(spec, owner) {
      if (spec.instanceUuids.length !== spec.numInstances) {
        throw badRequest(
          `A request for ${spec.numInstances} instance(s) needs as many instance UUIDs; got ${spec.instanceUuids.length}.`,
        );
      }
      const query = candidatesQueryFor(spec, o.candidateLimit);
      const candidates = await placement.getAllocationCandidates(query);
      const requests = firstRequestPerRoot(candidates);
      const states = await hostStates.hostStates([...requests.keys()]);
      const uuidByHost = new Map<string, string>();
      let hosts: HostState[] = [];
      for (const [uuid, host] of states) {
        if (!requests.has(uuid)) continue;
        uuidByHost.set(keyOf(host), uuid);
        hosts.push(host);
      }
      const choiceFor = (host: HostState): HostChoice => {
        const computeNodeUuid = uuidByHost.get(keyOf(host))!;
        return { computeNodeUuid, host, allocations: requests.get(computeNodeUuid)! };
      };

      let current = spec;
      const claimed: HostChoice[] = [];
      const specs: RequestSpec[] = [];
      const failedPerInstance: Set<string>[] = [];
      let failures: ClaimFailure[] = [];
      try {
        for (let i = 0; i < spec.numInstances; i++) {
          const uuid = spec.instanceUuids[i]!;
          const one: RequestSpec = { ...current, numInstances: 1, instanceUuids: [uuid] };
          failures = [];
          const failed = new Set<string>();
          let won: HostChoice | undefined;
          // Each pass either claims or drops at least one host, so this ends.
          while (won === undefined) {
            const s = selector.select(
              hosts.filter((h) => !failed.has(keyOf(h))),
              one,
            ).selections[0]!;
            for (const host of [s.host, ...s.alternates]) {
              const choice = choiceFor(host);
              const failure = await tryClaim(uuid, owner, choice);
              if (failure === undefined) {
                won = choice;
                break;
              }
              failures.push(failure);
              failed.add(keyOf(host));
            }
          }
          claimed.push(won);
          specs.push(one);
          failedPerInstance.push(failed);
          const next = consumeClaimedHost(won.host, one, uuid);
          uuidByHost.set(keyOf(next), won.computeNodeUuid);
          hosts = hosts.map((h) => (keyOf(h) === keyOf(won.host) ? next : h));
          current = joinServerGroup(current, won.host.host, uuid);
        }
      } catch (error) {
        // Nova's _ensure_sufficient_hosts: a request placed only in part gives back what it took.
        const releaseErrors = await releaseAll(spec.instanceUuids.slice(0, claimed.length));
        throw noHostLeft(error, claimed.length, failures, states.size, query, releaseErrors);
      }

      // Alternates, as Nova: the next best hosts of the same cell, never a host claimed for
      // this request (its room is already reduced), weighed against the consumed hosts.
      const claimedKeys = new Set(claimed.map((c) => keyOf(c.host)));
      return claimed.map((won, i) => {
        const pool = hosts.filter(
          (h) => !claimedKeys.has(keyOf(h)) && !failedPerInstance[i]!.has(keyOf(h)) && h.cell === won.host.cell,
        );
        return {
          instanceUuid: spec.instanceUuids[i]!,
          projectId: owner.projectId,
          userId: owner.userId,
          claimed: won,
          alternates: alternatesFrom(selector, pool, specs[i]!, o.maxAttempts - 1).map(choiceFor),
          attempt: 1,
        };
      });
    },

    async reschedule(previous) {
      await placement.release(previous.instanceUuid);
      const failures: ClaimFailure[] = [];
      const remaining = [...previous.alternates];
      for (let next = remaining.shift(); next !== undefined; next = remaining.shift()) {
        const failure = await tryClaim(previous.instanceUuid, previous, next);
        if (failure === undefined) {
          return { ...previous, claimed: next, alternates: remaining, attempt: previous.attempt + 1 };
        }
        failures.push(failure);
      }
      throw noValidHost(
        `Exhausted all hosts available for retrying build failures for instance ${previous.instanceUuid}.`,
        { details: { instance: previous.instanceUuid, attempt: previous.attempt, claimFailures: failures } },
      );
    },
  };
}

/** The first allocation request of each tree, keyed by root provider UUID (as Nova claims). */
function firstRequestPerRoot(candidates: AllocationCandidates): Map<string, Record<string, Resources>> {
  const out = new Map<string, Record<string, Resources>>();
  for (const request of candidates.allocation_requests) {
    const [anyProvider] = Object.keys(request.allocations);
    const root = anyProvider === undefined ? undefined : candidates.provider_summaries[anyProvider]?.root_provider_uuid;
    if (root === undefined || out.has(root)) continue;
    out.set(root, Object.fromEntries(Object.entries(request.allocations).map(([rp, a]) => [rp, a.resources])));
  }
  return out;
}

function alternatesFrom(selector: Selector, pool: readonly HostState[], spec: RequestSpec, count: number): HostState[] {
  if (count <= 0 || pool.length === 0) return [];
  try {
    const s = selector.select(pool, spec).selections[0]!;
    return [s.host, ...s.alternates].slice(0, count);
  } catch (error) {
    if (StratusError.is(error) && error.code === "no_valid_host") return [];
    throw error;
  }
}

/** The NoValidHost for instance `index`, saying what Placement offered and which claims were lost. */
function noHostLeft(
  error: unknown,
  index: number,
  failures: readonly ClaimFailure[],
  candidateHosts: number,
  query: Readonly<Record<string, string>>,
  releaseErrors: readonly unknown[],
): unknown {
  if (!StratusError.is(error) || error.code !== "no_valid_host") {
    if (releaseErrors.length === 0) return error;
    // Keep the error's code for the caller; the failed releases travel in its cause.
    const cause = new AggregateError([error, ...releaseErrors], "releasing the request's claims failed too");
    if (!StratusError.is(error)) return cause;
    return new StratusError(error.code, error.message, { cause, details: error.details, retryable: error.retryable });
  }
  const lost =
    failures.length === 0
      ? ""
      : ` Claims lost on ${failures.length} host(s): ${failures
          .slice(0, 3)
          .map((f) => `${f.host}: ${f.reason}`)
          .join("; ")}${failures.length > 3 ? ", ..." : ""}.`;
  const message =
    candidateHosts === 0
      ? `No valid host was found. Placement has no allocation candidates for resources=${query["resources"] ?? ""}.`
      : `${error.message}${lost}`;
  return noValidHost(message, {
    cause: releaseErrors.length === 0 ? error : new AggregateError([error, ...releaseErrors]),
    details: { ...error.details, instance: index, claimFailures: failures },
  });
}
