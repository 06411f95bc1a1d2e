/**
 * What each microversion allows in a `GET /allocation_candidates` query (placement/schemas/
 * allocation_candidate.py and the checks of placement/lib.py and util.py). `parseCandidatesQuery`
 * understands everything 1.39 does; this gate refuses, with Placement's messages, what the
 * request's microversion does not allow yet, and keeps only the last `required` before 1.39.
 */
import { badRequest } from "@stratus/core/errors";
import { pyRepr } from "@stratus/core/http";
import { placementBadRequest } from "../placement/errors.js";

/** Query parameters in the order sent. */
export type QueryEntries = readonly (readonly [string, string])[];

const INVALID = "Invalid query string parameters: ";

function keysOf(entries: QueryEntries): string[] {
  return [...new Set(entries.map(([k]) => k))];
}

/** The last value of each key, as webob's `dict(req.GET)` gives jsonschema. */
function lastValues(entries: QueryEntries): Map<string, string> {
  return new Map(entries.map(([k, v]) => [k, v]));
}

/** jsonschema's checks of the query as a dict (keys, limit, group_policy). */
function checkSchema(entries: QueryEntries, at: (v: string) => boolean): void {
  const keys = keysOf(entries);
  const extrasMessage = (extras: string[], patterns: string[] | null) => {
    const sorted = [...extras].sort();
    const joined = sorted.map((k) => pyRepr(k)).join(", ");
    if (patterns === null) {
      return `${INVALID}Additional properties are not allowed (${joined} ${sorted.length === 1 ? "was" : "were"} unexpected)`;
    }
    const regexes = [...patterns]
      .sort()
      .map((p) => pyRepr(p))
      .join(", ");
    return `${INVALID}${joined} ${sorted.length === 1 ? "does" : "do"} not match any of the regexes: ${regexes}`;
  };
  if (!at("1.25")) {
    const allowed = new Set(["resources"]);
    if (at("1.16")) allowed.add("limit");
    if (at("1.17")) allowed.add("required");
    if (at("1.21")) allowed.add("member_of");
    const extras = keys.filter((k) => !allowed.has(k));
    if (extras.length > 0) throw placementBadRequest(extrasMessage(extras, null));
    if (!keys.includes("resources")) throw placementBadRequest(`${INVALID}'resources' is a required property`);
  } else {
    const properties = new Set(["group_policy", "limit"]);
    if (at("1.35")) properties.add("root_required");
    if (at("1.36")) properties.add("same_subtree");
    const suffix = at("1.33") ? "[a-zA-Z0-9_-]{1,64}" : "[1-9][0-9]*";
    const grouped = ["resources", "required", "member_of", ...(at("1.31") ? ["in_tree"] : [])];
    const patterns = grouped.map((p) => `^${p}(${suffix})?$`);
    const regexes = patterns.map((p) => new RegExp(p));
    const extras = keys.filter((k) => !properties.has(k) && !regexes.some((r) => r.test(k)));
    if (extras.length > 0) throw placementBadRequest(extrasMessage(extras, patterns));
  }
  const last = lastValues(entries);
  const limit = last.get("limit");
  if (limit !== undefined && !/^[1-9][0-9]*$/.test(limit)) {
    throw placementBadRequest(`${INVALID}${pyRepr(limit)} does not match '^[1-9][0-9]*$'`);
  }
  const policy = last.get("group_policy");
  if (policy !== undefined && policy !== "none" && policy !== "isolate") {
    throw placementBadRequest(`${INVALID}${pyRepr(policy)} is not one of ['none', 'isolate']`);
  }
}

/** The traits and aggregates checks that depend on the microversion. */
function checkValues(entries: QueryEntries, at: (v: string) => boolean): void {
  const memberOfCount = new Map<string, number>();
  for (const [key, value] of entries) {
    if (/^required/.test(key)) {
      if (value.startsWith("in:") && !at("1.39")) {
        throw placementBadRequest(
          `${INVALID}The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: ${value}`,
        );
      }
      if (value.split(",").some((t) => t.trim().startsWith("!")) && !at("1.22")) {
        throw placementBadRequest(
          `${INVALID}Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: ${value}`,
        );
      }
    } else if (/^member_of/.test(key)) {
      const suffix = key.slice("member_of".length);
      memberOfCount.set(key, (memberOfCount.get(key) ?? 0) + 1);
      if (memberOfCount.get(key)! > 1 && !at("1.24")) {
        throw placementBadRequest(`Multiple member_of${suffix} parameters are not supported`);
      }
      if (value.startsWith("!") && !at("1.32")) {
        throw placementBadRequest(
          `Forbidden member_of${suffix} parameters are not supported in the specified microversion`,
        );
      }
    }
  }
  if (entries.filter(([k]) => k === "root_required").length > 1) {
    throw badRequest("Query parameter 'root_required' may be specified only once.", {
      details: { errorCode: "placement.query.duplicate_key" },
    });
  }
}

/**
 * Checks `entries` against what microversion `at` allows and returns the entries to parse.
 * Throws 400 with Placement's message for a parameter or form not allowed yet.
 */
export function gateCandidatesQuery(entries: QueryEntries, at: (v: string) => boolean): [string, string][] {
  checkSchema(entries, at);
  checkValues(entries, at);
  if (at("1.39")) return entries.map(([k, v]) => [k, v]);
  // Before 1.39 a repeated `required` means its last value only.
  const lastRequired = new Map<string, number>();
  entries.forEach(([k], i) => {
    if (/^required/.test(k)) lastRequired.set(k, i);
  });
  return entries.filter(([k], i) => !/^required/.test(k) || lastRequired.get(k) === i).map(([k, v]) => [k, v]);
}
