/**
 * Check trees compiled into closures, once per rule set: evaluating a rule then walks no tree,
 * parses nothing and, for string-valued targets and credentials, allocates nothing (role names are
 * lower-cased once per roles array, in a WeakMap).
 */
import { internal } from "@stratus/core/errors";
import type { PolicyCredentials } from "../ports.js";
import type { GenericCheck, PolicyCheck, RoleCheck } from "./check.js";
import { compileTemplate, type MatchTemplate, pyLiteral, pyStr, renderTemplate } from "./python-values.js";

/** The object an operation acts on, flattened as Keystone does (`target.project.id`), or nested. */
export type PolicyTarget = Readonly<Record<string, unknown>>;

/** A compiled rule: true when `credentials` may act on `target`. Pure; never throws. */
export type CompiledCheck = (target: PolicyTarget, credentials: PolicyCredentials) => boolean;

const always: CompiledCheck = () => true;
const never: CompiledCheck = () => false;
const lowerRoles = new WeakMap<object, ReadonlySet<string>>();

/** The credentials' role names lower-cased, computed once per roles array. */
function roleSet(credentials: PolicyCredentials): ReadonlySet<string> | undefined {
  const roles: unknown = credentials.roles;
  if (!Array.isArray(roles)) return undefined;
  let set = lowerRoles.get(roles);
  if (set === undefined) {
    set = new Set(roles.map((r) => String(r).toLowerCase()));
    lowerRoles.set(roles, set);
  }
  return set;
}

/**
 * Compiles `check`; `rule:` references go through `resolveRule`, which the rule set answers with
 * the referenced rule's compiled closure. Throws `internal` for a hand-built leaf whose match is
 * not a valid template (parsed trees never have one).
 */
export function compileCheck(check: PolicyCheck, resolveRule: (name: string) => CompiledCheck): CompiledCheck {
  switch (check.type) {
    case "true":
      return always;
    case "false":
      return never;
    case "rule":
      return resolveRule(check.name);
    case "role":
      return compileRole(check);
    case "generic":
      return compileGeneric(check);
    case "not": {
      const inner = compileCheck(check.check, resolveRule);
      return (t, c) => !inner(t, c);
    }
    case "and":
    case "or":
      return compileJunction(
        check.type,
        check.checks.map((c) => compileCheck(c, resolveRule)),
      );
  }
}

function compileJunction(type: "and" | "or", parts: readonly CompiledCheck[]): CompiledCheck {
  const [a, b, c] = parts;
  if (parts.length === 2 && a && b)
    return type === "and" ? (t, cr) => a(t, cr) && b(t, cr) : (t, cr) => a(t, cr) || b(t, cr);
  if (parts.length === 3 && a && b && c) {
    return type === "and" ? (t, cr) => a(t, cr) && b(t, cr) && c(t, cr) : (t, cr) => a(t, cr) || b(t, cr) || c(t, cr);
  }
  if (type === "and") {
    return (t, cr) => {
      for (const part of parts) if (!part(t, cr)) return false;
      return true;
    };
  }
  return (t, cr) => {
    for (const part of parts) if (part(t, cr)) return true;
    return false;
  };
}

function templateOf(match: string): MatchTemplate {
  const template = compileTemplate(match);
  // The parser has already rejected bad templates; this guards trees built by hand.
  if ("reason" in template) throw internal(`Invalid policy check match "${match}": ${template.reason}`);
  return template;
}

function compileRole(check: RoleCheck): CompiledCheck {
  const template = templateOf(check.match);
  if (template.kind === "constant") {
    const wanted = template.text.toLowerCase();
    return (_t, c) => roleSet(c)?.has(wanted) === true;
  }
  return (t, c) => {
    const rendered = renderTemplate(template, t);
    return rendered !== undefined && roleSet(c)?.has(rendered.toLowerCase()) === true;
  };
}

function compileGeneric(check: GenericCheck): CompiledCheck {
  const template = templateOf(check.match);
  const literal = pyLiteral(check.key);
  if (literal !== undefined) return (t) => renderTemplate(template, t) === literal;
  const path = check.key.split(".");
  if (template.kind === "constant") {
    const text = template.text;
    return (_t, c) => findInCredentials(c, path, 0, text);
  }
  return (t, c) => {
    const rendered = renderTemplate(template, t);
    return rendered !== undefined && findInCredentials(c, path, 0, rendered);
  };
}

/**
 * oslo's `GenericCheck._find_in_dict`: walk `path` from `value`; a list on the way matches when
 * any element does; the end value matches when its Python `str()` equals `match`. A missing key,
 * or a non-mapping on the way, does not match.
 */
function findInCredentials(value: unknown, path: readonly string[], index: number, match: string): boolean {
  if (index === path.length) return match === pyStr(value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const key = path[index] as string;
  let next = (value as Record<string, unknown>)[key];
  if (next === undefined || !Object.hasOwn(value, key)) {
    // oslo's enforce() copies a truthy system_scope into creds["system"] for older rules.
    if (index !== 0 || key !== "system") return false;
    next = (value as PolicyCredentials).system_scope;
    if (!next) return false;
  }
  if (Array.isArray(next)) {
    for (const element of next) if (findInCredentials(element, path, index + 1, match)) return true;
    return false;
  }
  return findInCredentials(next, path, index + 1, match);
}
