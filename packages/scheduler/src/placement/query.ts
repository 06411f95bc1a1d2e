import { placementBadRequest } from "./errors.js";
import { getOrCreate } from "./map-util.js";

/** The names the parser checks resource classes and traits against (PlacementState provides them). */
export interface Vocabulary {
  /** True for a standard or created custom resource class. */
  hasResourceClass(name: string): boolean;
  /** True for a standard or created custom trait. */
  hasTrait(name: string): boolean;
}

/** One request group: the unsuffixed one (suffix "") or a granular one (`resources_GPU`, `resources1`). */
export interface RequestGroup {
  /** "" for the unsuffixed group, else the suffix as written (e.g. "_GPU", "1"). */
  readonly suffix: string;
  /** Amounts per resource class, each >= 1. */
  readonly resources: Readonly<Record<string, number>>;
  /** Required traits in conjunctive form: every inner list must have at least one trait present. */
  readonly requiredTraits: readonly (readonly string[])[];
  /** Traits that must be absent. */
  readonly forbiddenTraits: readonly string[];
  /** Aggregate conditions: every inner list must share at least one aggregate with the provider. */
  readonly memberOf: readonly (readonly string[])[];
  /** Aggregates the provider must not be a member of. */
  readonly forbiddenAggregates: readonly string[];
  /** `in_tree<suffix>` (1.31): this group's providers only from the tree containing this provider. */
  readonly inTree?: string;
}

/** A parsed `GET /allocation_candidates` query. */
export interface CandidatesQuery {
  /** Request groups, the unsuffixed one first (if given), then granular ones in suffix order. */
  readonly groups: readonly RequestGroup[];
  /** `group_policy`; required (not null) when there is more than one granular group. */
  readonly groupPolicy: "none" | "isolate" | null;
  /** `in_tree`: candidates only from the tree containing this provider. */
  readonly inTree: string | null;
  /** `same_subtree` lists of suffixes whose providers must share one subtree root. */
  readonly sameSubtree: readonly (readonly string[])[];
  /** `root_required` traits the root must have (conjunctive form as in RequestGroup). */
  readonly rootRequired: readonly (readonly string[])[];
  /** `root_required` traits the root must not have (written with `!`). */
  readonly rootForbidden: readonly string[];
  /** `limit`: the most allocation requests to return, or null for no limit. */
  readonly limit: number | null;
}

/** A raw query: a query string, URLSearchParams, or a record of (possibly repeated) values. */
export type RawQuery = string | URLSearchParams | Readonly<Record<string, string | readonly string[]>>;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const KEY = /^(resources|required|member_of)([a-zA-Z0-9_-]{1,64})?$/;
const NAME = /^[A-Z0-9_]+$/;
const SUFFIXED_IN_TREE = /^in_tree([a-zA-Z0-9_-]{1,64})$/;

function entriesOf(raw: RawQuery): [string, string][] {
  if (typeof raw === "string") return [...new URLSearchParams(raw)];
  if (raw instanceof URLSearchParams) return [...raw];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(raw)) {
    for (const one of typeof v === "string" ? [v] : v) out.push([k, one]);
  }
  return out;
}

interface GroupDraft {
  resources?: Record<string, number>;
  required: string[][];
  forbidden: string[];
  memberOf: string[][];
  forbiddenAggs: string[];
  inTree?: string;
  keys: string[];
}

/**
 * Parses and validates a `GET /allocation_candidates` query (microversion 1.39 features).
 * Returns the request groups and options. Throws badRequest naming the offending parameter.
 */
export function parseCandidatesQuery(raw: RawQuery, vocabulary: Vocabulary): CandidatesQuery {
  const drafts = new Map<string, GroupDraft>();
  const draft = (suffix: string): GroupDraft =>
    getOrCreate(drafts, suffix, () => ({ required: [], forbidden: [], memberOf: [], forbiddenAggs: [], keys: [] }));
  let groupPolicy: "none" | "isolate" | null = null;
  let inTree: string | null = null;
  let limit: number | null = null;
  const sameSubtree: string[][] = [];
  const root = { required: [] as string[][], forbidden: [] as string[] };

  for (const [key, value] of entriesOf(raw)) {
    const m = KEY.exec(key);
    if (m !== null) {
      const suffix = m[2] ?? "";
      const d = draft(suffix);
      d.keys.push(key);
      if (m[1] === "resources") {
        if (d.resources !== undefined)
          throw placementBadRequest(`Invalid query string parameters: '${key}' given more than once.`);
        d.resources = parseResources(value, vocabulary);
      } else if (m[1] === "required") parseTraits(key, value, vocabulary, d.required, d.forbidden);
      else parseMemberOf(value, d);
      continue;
    }
    const t = SUFFIXED_IN_TREE.exec(key);
    if (t !== null) {
      const d = draft(t[1]!);
      d.keys.push(key);
      d.inTree = parseInTree(key, value);
      continue;
    }
    switch (key) {
      case "group_policy":
        if (value !== "none" && value !== "isolate") {
          throw placementBadRequest(
            `Invalid query string parameters: group_policy must be 'none' or 'isolate'. Got: ${value}`,
          );
        }
        groupPolicy = value;
        break;
      case "in_tree":
        inTree = parseInTree(key, value);
        break;
      case "limit":
        if (!/^[1-9][0-9]*$/.test(value))
          throw placementBadRequest(`Invalid query string parameters: 'limit' must be an integer >= 1. Got: ${value}`);
        limit = Number(value);
        break;
      case "same_subtree":
        sameSubtree.push(value.split(",").map((s) => s.trim()));
        break;
      case "root_required":
        parseTraits(key, value, vocabulary, root.required, root.forbidden, false);
        break;
      default:
        throw placementBadRequest(
          `Invalid query string parameters: Additional properties are not allowed ('${key}' was unexpected)`,
        );
    }
  }

  const groups: RequestGroup[] = [];
  const orphans: string[] = [];
  const suffixes = [...drafts.keys()].sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const suffix of suffixes) {
    const d = drafts.get(suffix)!;
    if (d.resources === undefined) {
      orphans.push(...d.keys);
      continue;
    }
    checkNoConflict(d);
    groups.push({
      suffix,
      resources: d.resources,
      requiredTraits: d.required,
      forbiddenTraits: d.forbidden,
      memberOf: d.memberOf,
      forbiddenAggregates: d.forbiddenAggs,
      ...(d.inTree === undefined ? {} : { inTree: d.inTree }),
    });
  }
  if (orphans.length > 0) {
    throw placementBadRequest(
      `All traits parameters must be associated with resources. Found the following orphaned traits keys: ${orphans.join(", ")}`,
    );
  }
  if (groups.length === 0)
    throw placementBadRequest("At least one of 'resources' or 'resources{N}' must be specified.");
  if (groups.filter((g) => g.suffix !== "").length > 1 && groupPolicy === null) {
    throw placementBadRequest(
      'The "group_policy" parameter is required when specifying more than one "resources{N}" parameter.',
    );
  }
  const known = new Set(groups.map((g) => g.suffix));
  for (const list of sameSubtree) {
    const missing = list.filter((s) => s === "" || !known.has(s));
    if (missing.length > 0) {
      throw placementBadRequest(
        `Real suffixes should be specified in same_subtree: ${missing.join(", ")} not found in ${[...known].filter((s) => s !== "").join(", ")}.`,
      );
    }
  }
  return {
    groups,
    groupPolicy,
    inTree,
    sameSubtree,
    rootRequired: root.required,
    rootForbidden: root.forbidden,
    limit,
  };
}

function parseInTree(key: string, value: string): string {
  if (!UUID.test(value))
    throw placementBadRequest(
      `Invalid query string parameters: Expected '${key}' parameter to be a format of uuid. Got: ${value}`,
    );
  return value;
}

function parseResources(value: string, vocabulary: Vocabulary): Record<string, number> {
  const badForm = () =>
    placementBadRequest(
      `Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: ${value}.`,
    );
  const out: Record<string, number> = {};
  for (const part of value.split(",")) {
    const [rc, amount, extra] = part.split(":");
    if (rc === undefined || amount === undefined || extra !== undefined || !NAME.test(rc.trim())) throw badForm();
    if (!/^-?[0-9]+$/.test(amount.trim())) throw badForm();
    const name = rc.trim();
    const n = Number(amount.trim());
    if (n < 1) throw placementBadRequest(`Requested resource ${name} requires amount >= 1. Got: ${n}.`);
    if (!vocabulary.hasResourceClass(name)) {
      throw placementBadRequest(`Invalid resource class in resources parameter: No such resource class ${name}.`);
    }
    if (name in out)
      throw placementBadRequest(`Badly formed resources parameter: ${name} given more than once. Got: ${value}.`);
    out[name] = n;
  }
  return out;
}

function parseTraits(
  key: string,
  value: string,
  vocabulary: Vocabulary,
  required: string[][],
  forbidden: string[],
  anyOfAllowed = true,
): void {
  const bad = () =>
    placementBadRequest(
      `Invalid query string parameters: Expected '${key}' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC${anyOfAllowed ? " or in:TRAIT1,TRAIT2" : ""}. Got: ${value}`,
    );
  const check = (names: string[]) => {
    if (names.some((n) => !NAME.test(n))) throw bad();
    const unknown = names.filter((n) => !vocabulary.hasTrait(n));
    if (unknown.length > 0) throw placementBadRequest(`No such trait(s): ${unknown.join(", ")}.`);
  };
  if (value.startsWith("in:")) {
    if (!anyOfAllowed) throw bad();
    const names = value.slice(3).split(",");
    check(names);
    required.push(names);
    return;
  }
  for (const term of value.split(",")) {
    const negative = term.startsWith("!");
    const name = negative ? term.slice(1) : term;
    check([name]);
    if (negative) forbidden.push(name);
    else required.push([name]);
  }
}

function parseMemberOf(value: string, d: GroupDraft): void {
  const negative = value.startsWith("!");
  const body = negative ? value.slice(1) : value;
  const anyOf = body.startsWith("in:");
  const list = (anyOf ? body.slice(3) : body).split(",");
  if (list.some((u) => !UUID.test(u)) || (!anyOf && list.length > 1)) {
    throw placementBadRequest(
      `Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: ${value}`,
    );
  }
  if (negative) d.forbiddenAggs.push(...list);
  else d.memberOf.push(list);
}

function checkNoConflict(d: GroupDraft): void {
  const forbidden = new Set(d.forbidden);
  const clash = d.required.filter((l) => l.length === 1 && forbidden.has(l[0]!)).map((l) => l[0]!);
  if (clash.length > 0) {
    throw placementBadRequest(
      `Conflicting required and forbidden traits found in the following traits keys: required: (${clash.join(", ")})`,
    );
  }
}
