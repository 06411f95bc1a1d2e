/**
 * The effective rules of an enforcer, built once as oslo.policy's `load_rules` does: file rules
 * win; each default not overridden takes its check, OR-ed with its deprecated rule's check unless
 * `enforceNewDefaults`; then every `rule:` reference must resolve and no rule may refer to itself,
 * or loading fails naming the rules (oslo only logs these and denies at run time).
 */
import { badRequest } from "@stratus/core/errors";
import { checksEqual, OrCheck, type PolicyCheck, referencedRules } from "./check.js";
import { type CompiledCheck, compileCheck } from "./evaluate.js";
import { parseListRule, parseRule } from "./parse.js";
import type { PolicyFileRules } from "./policy-file.js";
import type { PolicyRuleDefault } from "./rule-default.js";

/** A note for operators raised while loading or enforcing (oslo's `warnings.warn`). */
export interface PolicyWarning {
  /**
   * `deprecated_default`: a default is OR-ed with its deprecated check (oslo warns at load);
   * `deprecated_override`: the file overrides a renamed or to-be-removed rule;
   * `scope_mismatch`: a token's scope is not in the rule's scope_types and enforce_scope is off.
   */
  readonly kind: "deprecated_default" | "deprecated_override" | "scope_mismatch";
  /** The rule concerned. */
  readonly rule: string;
  /** The text oslo.policy would warn with. */
  readonly message: string;
}

/** What a rule set is built from. */
export interface RuleSetInput {
  /** The registered defaults; a name registered twice is rejected. */
  readonly defaults: readonly PolicyRuleDefault[];
  /** The operator's rules, which win over the defaults. */
  readonly fileRules: PolicyFileRules;
  /** When true, deprecated checks are not OR-ed into the new defaults. */
  readonly enforceNewDefaults: boolean;
  /** Receives load-time warnings (deprecations). */
  readonly warn: (warning: PolicyWarning) => void;
}

/** A registered rule's scope types, and how oslo names the rule in messages (`"name": "check_str"`). */
export interface RuleScope {
  /** The scopes the rule's operation is meant for; empty means any. */
  readonly scopeTypes: readonly string[];
  /** `"name": "check_str"`, as oslo's InvalidScope and scope warnings print the rule. */
  readonly label: string;
}

/** The loaded rules: trees (for `toString()`), closures (for enforcing), registered scope types. */
export interface RuleSet {
  /** Every effective rule as a tree, by name (file rules first, then the defaults). */
  readonly checks: ReadonlyMap<string, PolicyCheck>;
  /** The same rules compiled; `rule:` references are already bound to the referenced closures. */
  readonly compiled: ReadonlyMap<string, CompiledCheck>;
  /** Scope types of the registered defaults (file-only rules have none). */
  readonly scopes: ReadonlyMap<string, RuleScope>;
}

function parseAny(rule: string | readonly (string | readonly string[])[], name: string): PolicyCheck {
  return typeof rule === "string" ? parseRule(rule, name) : parseListRule(rule, name);
}

/** Builds and compiles the rule set. Throws `bad_request` for an unparsable rule, a dangling `rule:` or a cycle. */
export function buildRuleSet(input: RuleSetInput): RuleSet {
  const file = new Map<string, PolicyCheck>();
  for (const [name, rule] of Object.entries(input.fileRules)) file.set(name, parseAny(rule, name));

  const checks = new Map(file);
  const scopes = new Map<string, RuleScope>();
  for (const rule of input.defaults) {
    if (scopes.has(rule.name)) throw badRequest(`Policy rule "${rule.name}" is registered twice.`);
    const label = `"${rule.name}": "${rule.checkStr}"`;
    scopes.set(rule.name, Object.freeze({ scopeTypes: Object.freeze([...rule.scopeTypes]), label }));
    if (rule.deprecatedForRemoval && file.has(rule.name)) {
      input.warn({
        kind: "deprecated_override",
        rule: rule.name,
        message: `Policy "${rule.name}":"${rule.checkStr}" was deprecated for removal. Its value may be silently ignored in the future.`,
      });
    }
    if (checks.has(rule.name)) continue;
    checks.set(rule.name, defaultCheck(rule, file, input));
  }
  assertReferencesResolve(checks);
  return { checks, compiled: compileAll(checks), scopes };
}

/** oslo's `_handle_deprecated_rule`, for a default the file does not override. */
function defaultCheck(
  rule: PolicyRuleDefault,
  file: ReadonlyMap<string, PolicyCheck>,
  input: RuleSetInput,
): PolicyCheck {
  const check = parseRule(rule.checkStr, rule.name);
  const old = rule.deprecatedRule;
  if (old === null) return check;
  const oldCheck = parseRule(old.checkStr, `${old.name} (deprecated)`);
  const message =
    `Policy "${old.name}":"${old.checkStr}" was deprecated in ${old.since} in favor of "${rule.name}":"${rule.checkStr}". ` +
    `Reason: ${old.reason}. Either ensure your deployment is ready for the new default or copy/paste the deprecated ` +
    "policy into your policy file and maintain it manually.";
  const renamedOverride = old.name !== rule.name ? file.get(old.name) : undefined;
  if (renamedOverride !== undefined) {
    input.warn({ kind: "deprecated_override", rule: rule.name, message });
    // An operator's override of the old name carries over, unless it just points at the new rule.
    if (!checksEqual(renamedOverride, oldCheck) && renamedOverride.toString() !== `rule:${rule.name}`) {
      return renamedOverride;
    }
  }
  if (!input.enforceNewDefaults && old.checkStr !== rule.checkStr) {
    input.warn({ kind: "deprecated_default", rule: rule.name, message });
    return new OrCheck([check, oldCheck]);
  }
  return check;
}

function assertReferencesResolve(checks: ReadonlyMap<string, PolicyCheck>): void {
  const problems: string[] = [];
  for (const [name, check] of checks) {
    for (const ref of new Set(referencedRules(check))) {
      if (!checks.has(ref)) problems.push(`"${name}" references rule:${ref}, which is not defined`);
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done" || !checks.has(name)) return;
    if (state.get(name) === "visiting") {
      problems.push(
        `rules refer to each other in a cycle: ${[...trail.slice(trail.indexOf(name)), name].join(" -> ")}`,
      );
      return;
    }
    state.set(name, "visiting");
    for (const ref of new Set(referencedRules(checks.get(name) as PolicyCheck))) visit(ref, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of checks.keys()) visit(name, []);
  if (problems.length > 0) {
    throw badRequest(`Invalid policy: ${problems.join("; ")}.`, { details: { problems } });
  }
}

function compileAll(checks: ReadonlyMap<string, PolicyCheck>): ReadonlyMap<string, CompiledCheck> {
  const compiled = new Map<string, CompiledCheck>();
  const compileNamed = (name: string): CompiledCheck => {
    let fn = compiled.get(name);
    if (fn === undefined) {
      // References are acyclic (checked above), so compiling them first terminates.
      fn = compileCheck(checks.get(name) as PolicyCheck, compileNamed);
      compiled.set(name, fn);
    }
    return fn;
  };
  for (const name of checks.keys()) compileNamed(name);
  return compiled;
}
