/**
 * GET /resource_providers filters: the query keys each microversion allows, their parsing with
 * Placement's messages, and the filter itself over the in-memory indexes.
 */
import { badRequest } from "@stratus/core/errors";
import type { FastifyRequest } from "fastify";
import { capacityOf, type ResourceProvider } from "../placement/model.js";
import type { PlacementState } from "../placement/state.js";
import { mv } from "./context.js";
import { allOf, badQuery, checkQueryKeys, isUuidLike, lastOf, type Query } from "./rp-wire.js";

/** What GET /resource_providers filters on; every present condition must hold. */
export interface ProviderFilter {
  readonly name?: string;
  readonly uuid?: string;
  readonly inTree?: string;
  /** Each inner list: the provider must be in at least one of these aggregates. */
  readonly memberOf: readonly (readonly string[])[];
  readonly forbiddenAggregates: readonly string[];
  /** Amounts the provider must have room for, per class. */
  readonly resources: Readonly<Record<string, number>>;
  /** Each inner list: the provider must have at least one of these traits. */
  readonly required: readonly (readonly string[])[];
  readonly forbiddenTraits: readonly string[];
}

function allowedKeys(request: FastifyRequest): string[] {
  const keys = ["name", "uuid"];
  if (mv(request, "1.3")) keys.push("member_of");
  if (mv(request, "1.4")) keys.push("resources");
  if (mv(request, "1.14")) keys.push("in_tree");
  if (mv(request, "1.18")) keys.push("required");
  return keys;
}

function parseMemberOf(request: FastifyRequest, values: readonly string[]) {
  if (!mv(request, "1.24") && values.length > 1) throw badRequest("Multiple member_of parameters are not supported");
  const memberOf: string[][] = [];
  const forbidden: string[] = [];
  for (const value of values) {
    if (value.includes(",") && !value.startsWith("in:") && !value.startsWith("!in:")) {
      throw badRequest(
        `Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: ${value}`,
      );
    }
    const negated = value.startsWith("!");
    const body = negated ? value.slice(1) : value;
    const uuids = body.startsWith("in:") ? body.slice(3).split(",") : [body];
    for (const u of uuids) {
      if (!isUuidLike(u)) {
        throw badQuery(`Expected 'member_of' parameter to contain valid UUID(s). Got: ${u}`);
      }
    }
    if (!negated) memberOf.push(uuids);
    else if (!mv(request, "1.32")) {
      throw badRequest("Forbidden member_of parameters are not supported in the specified microversion");
    } else forbidden.push(...uuids);
  }
  return { memberOf, forbidden };
}

function parseResources(qs: string): Record<string, number> {
  const form =
    "Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024.";
  if (qs.trim() === "") throw badRequest(`${form} Got: empty string.`);
  const out: Record<string, number> = {};
  for (const part of qs.split(",")) {
    const pieces = part.split(":");
    if (pieces.length !== 2) throw badRequest(`${form} Got: ${part}.`);
    const [rc, raw] = pieces as [string, string];
    if (!/^\s*[-+]?\d+\s*$/.test(raw)) {
      throw badRequest(`Requested resource ${rc} expected positive integer amount. Got: ${raw}.`);
    }
    const amount = Number.parseInt(raw, 10);
    if (amount < 1) throw badRequest(`Requested resource ${rc} requires amount >= 1. Got: ${amount}.`);
    out[rc] = amount;
  }
  return out;
}

function parseRequired(request: FastifyRequest, values: readonly string[]) {
  const allowForbidden = mv(request, "1.22");
  const allowAny = mv(request, "1.39");
  const required: string[][] = [];
  const forbidden = new Set<string>();
  for (const value of allowAny ? values : values.slice(-1)) {
    if (value.startsWith("in:")) {
      if (!allowAny) {
        throw badQuery(
          `The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: ${value}`,
        );
      }
      const any = [
        ...new Set(
          value
            .slice(3)
            .split(",")
            .map((t) => t.trim()),
        ),
      ];
      if (any.some((t) => t === "")) {
        throw badQuery(
          `Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: ${value}`,
        );
      }
      if (any.some((t) => t.startsWith("!"))) {
        throw badQuery(`The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: ${value}`);
      }
      required.push(any);
      continue;
    }
    const all = value.split(",").map((t) => t.trim());
    const nots = all.filter((t) => t.startsWith("!")).map((t) => t.replace(/^!+/, ""));
    if ([...all, ...nots].some((t) => t === "")) {
      const form = allowForbidden ? "HW_CPU_X86_VMX,!CUSTOM_MAGIC" : "HW_CPU_X86_VMX,CUSTOM_MAGIC";
      throw badQuery(`Expected 'required' parameter value of the form: ${form}. Got an empty trait in: ${value}`);
    }
    if (nots.length > 0 && !allowForbidden) {
      throw badQuery(`Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: ${value}`);
    }
    for (const t of all) if (!t.startsWith("!")) required.push([t]);
    for (const t of nots) forbidden.add(t);
  }
  return { required, forbidden: [...forbidden] };
}

/** Parses and checks the list query for the request's microversion. Throws badRequest as Placement does. */
export function parseProviderFilter(request: FastifyRequest, query: Query, state: PlacementState): ProviderFilter {
  checkQueryKeys(query, allowedKeys(request));
  const uuid = lastOf(query, "uuid");
  if (uuid !== undefined && !isUuidLike(uuid)) throw badQuery(`'${uuid}' is not a 'uuid'`);
  const inTree = lastOf(query, "in_tree");
  if (inTree !== undefined && !isUuidLike(inTree)) throw badQuery(`'${inTree}' is not a 'uuid'`);
  const { memberOf, forbidden: forbiddenAggregates } = parseMemberOf(request, allOf(query, "member_of"));
  const resourcesRaw = lastOf(query, "resources");
  const resources = resourcesRaw === undefined ? {} : parseResources(resourcesRaw);
  for (const rc of Object.keys(resources)) {
    if (!state.hasResourceClass(rc)) {
      throw badRequest(`Invalid resource class in resources parameter: No such resource class ${rc}.`);
    }
  }
  const { required, forbidden: forbiddenTraits } = parseRequired(request, allOf(query, "required"));
  const unknown = [...new Set([...required.flat(), ...forbiddenTraits])].filter((t) => !state.hasTrait(t));
  if (unknown.length > 0) {
    throw badRequest(`Invalid trait(s) in "required" parameter: No such trait(s): ${unknown.join(", ")}.`);
  }
  const name = lastOf(query, "name");
  return {
    ...(name === undefined || name === "" ? {} : { name }),
    ...(uuid === undefined ? {} : { uuid }),
    ...(inTree === undefined ? {} : { inTree }),
    memberOf,
    forbiddenAggregates,
    resources,
    required,
    forbiddenTraits,
  };
}

/** True when `uuid` has room for `amount` of `rc` within its inventory's constraints. */
function hasRoom(state: PlacementState, uuid: string, rc: string, amount: number): boolean {
  const node = state.peek(uuid);
  const inv = node?.inventories.get(rc);
  if (node === undefined || inv === undefined) return false;
  const used = node.usages.get(rc) ?? 0;
  return (
    used + amount <= capacityOf(inv) && amount >= inv.min_unit && amount <= inv.max_unit && amount % inv.step_size === 0
  );
}

/** The providers matching `filter`, in creation order. */
export function filterProviders(state: PlacementState, filter: ProviderFilter): ResourceProvider[] {
  const treeRoot = filter.inTree === undefined ? undefined : (state.peek(filter.inTree)?.rootUuid ?? null);
  if (treeRoot === null) return [];
  return state.listProviders().filter((p) => {
    if (filter.name !== undefined && p.name !== filter.name) return false;
    if (filter.uuid !== undefined && p.uuid !== filter.uuid) return false;
    if (treeRoot !== undefined && p.rootUuid !== treeRoot) return false;
    if (!filter.memberOf.every((any) => any.some((a) => state.providersInAggregate(a).has(p.uuid)))) return false;
    if (filter.forbiddenAggregates.some((a) => state.providersInAggregate(a).has(p.uuid))) return false;
    if (!filter.required.every((any) => any.some((t) => state.providersWithTrait(t).has(p.uuid)))) return false;
    if (filter.forbiddenTraits.some((t) => state.providersWithTrait(t).has(p.uuid))) return false;
    return Object.entries(filter.resources).every(([rc, n]) => hasRoom(state, p.uuid, rc, n));
  });
}
