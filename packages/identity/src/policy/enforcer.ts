/**
 * The policy enforcer: Keystone's default rules (or any registered defaults), overridden by an
 * operator's policy file, enforced with oslo.policy's semantics, scope types and options.
 */

import { parseConfig } from "@stratus/core";
import { forbidden, internal } from "@stratus/core/errors";
import type { RequestContext } from "@stratus/core/http";
import { z } from "zod";
import type { Authorizer, PolicyCredentials } from "../ports.js";
import type { PolicyCheck } from "./check.js";
import { credentialsOf, tokenScopeOf } from "./credentials.js";
import type { CompiledCheck, PolicyTarget } from "./evaluate.js";
import { KEYSTONE_DEFAULT_RULES } from "./generated/keystone-defaults.gen.js";
import { loadPolicyFile, type PolicyFileRules, parsePolicyFile, policyFileRules } from "./policy-file.js";
import type { PolicyRuleDefault } from "./rule-default.js";
import { buildRuleSet, type PolicyWarning, type RuleScope } from "./rule-set.js";

/** How to build a `PolicyEnforcer`. */
export interface PolicyEnforcerOptions {
  /** The registered defaults; Keystone 22's (`KEYSTONE_DEFAULT_RULES`) when absent. */
  readonly defaults?: readonly PolicyRuleDefault[];
  /** Operator overrides: a policy file's text (YAML or JSON) or its parsed rules. */
  readonly overrides?: string | PolicyFileRules;
  /** oslo's `[oslo_policy] enforce_scope`: deny a token whose scope the rule does not list. Default false, as Keystone 22 ships. */
  readonly enforceScope?: boolean;
  /** oslo's `[oslo_policy] enforce_new_defaults`: drop the deprecated checks. Default false, as Keystone 22 ships. */
  readonly enforceNewDefaults?: boolean;
  /** Receives warnings; by default scope mismatches and deprecated overrides go to `process.emitWarning`, once each. */
  readonly onWarning?: (warning: PolicyWarning) => void;
}

const OptionsSchema = z.object({
  defaults: z.array(z.custom<PolicyRuleDefault>((v) => typeof v === "object" && v !== null)).optional(),
  overrides: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  enforceScope: z.boolean().default(false),
  enforceNewDefaults: z.boolean().default(false),
  onWarning: z.custom<(warning: PolicyWarning) => void>((v) => typeof v === "function").optional(),
});

/** Warns through the process once per message, leaving out the load-time deprecation notes oslo also prints. */
function processWarnings(): (warning: PolicyWarning) => void {
  const seen = new Set<string>();
  return (warning) => {
    if (warning.kind === "deprecated_default" || seen.has(warning.message)) return;
    seen.add(warning.message);
    process.emitWarning(warning.message, { type: "PolicyWarning", code: warning.kind });
  };
}

/** Keystone's `ForbiddenAction` text. */
function forbiddenAction(rule: string, cause?: Error) {
  const message = `You are not authorized to perform the requested action: ${rule}.`;
  return forbidden(message, cause === undefined ? { details: { action: rule } } : { details: { action: rule }, cause });
}

/** Enforces policy rules; rules are parsed and compiled once, in the constructor. */
export class PolicyEnforcer implements Authorizer {
  private readonly checks: ReadonlyMap<string, PolicyCheck>;
  private readonly compiled: ReadonlyMap<string, CompiledCheck>;
  private readonly scopes: ReadonlyMap<string, RuleScope>;
  private readonly enforceScope: boolean;
  private readonly warn: (warning: PolicyWarning) => void;

  /** Loads the rules. Throws `bad_request` naming the rule for a bad override, a dangling `rule:` or a cycle. */
  constructor(options: PolicyEnforcerOptions = {}) {
    const opts = parseConfig(OptionsSchema, options, "policy enforcer options");
    this.enforceScope = opts.enforceScope;
    this.warn = options.onWarning ?? processWarnings();
    const overrides = options.overrides;
    const fileRules =
      overrides === undefined
        ? {}
        : typeof overrides === "string"
          ? parsePolicyFile(overrides)
          : policyFileRules(overrides);
    const set = buildRuleSet({
      defaults: options.defaults ?? KEYSTONE_DEFAULT_RULES,
      fileRules,
      enforceNewDefaults: opts.enforceNewDefaults,
      warn: this.warn,
    });
    this.checks = set.checks;
    this.compiled = set.compiled;
    this.scopes = set.scopes;
  }

  /** An enforcer whose overrides come from a policy file on disk. Throws `bad_request` if unreadable or invalid. */
  static async fromFile(path: string, options: Omit<PolicyEnforcerOptions, "overrides"> = {}): Promise<PolicyEnforcer> {
    return new PolicyEnforcer({ ...options, overrides: await loadPolicyFile(path) });
  }

  /**
   * Returns when `credentials` may perform `rule` on `target`; throws `forbidden` with Keystone's
   * message when not (or when the token's scope is wrong and enforce_scope is on), `internal` when
   * the rule is unknown. Pure apart from warnings.
   */
  enforce(rule: string, credentials: PolicyCredentials, target: PolicyTarget = {}): void {
    const check = this.compiled.get(rule);
    if (check === undefined) throw internal(`Policy rule "${rule}" is not registered.`, { details: { rule } });
    const scopeError = this.scopeError(rule, credentials);
    if (scopeError !== undefined) throw forbiddenAction(rule, scopeError);
    if (!check(target, credentials)) throw forbiddenAction(rule);
  }

  /** Like `enforce`, as a boolean: false where `enforce` throws `forbidden`. Throws `internal` for an unknown rule. */
  allows(rule: string, credentials: PolicyCredentials, target: PolicyTarget = {}): boolean {
    const check = this.compiled.get(rule);
    if (check === undefined) throw internal(`Policy rule "${rule}" is not registered.`, { details: { rule } });
    return this.scopeError(rule, credentials) === undefined && check(target, credentials);
  }

  /** The credentials of an authenticated request (see `credentialsOf`). */
  credentialsOf(context: RequestContext): PolicyCredentials {
    return credentialsOf(context);
  }

  /** Whether a rule of that name is loaded (a default or a file rule). */
  has(rule: string): boolean {
    return this.checks.has(rule);
  }

  /** The effective rule as a tree (deprecated ORs included), or undefined. Its `toString()` parses back to it. */
  ruleOf(rule: string): PolicyCheck | undefined {
    return this.checks.get(rule);
  }

  /** The names of all loaded rules: the policy file's first, then the defaults it does not override. */
  ruleNames(): string[] {
    return [...this.checks.keys()];
  }

  /** oslo's InvalidScope when enforce_scope is on and the token's scope isn't listed; warns when it is off. */
  private scopeError(rule: string, credentials: PolicyCredentials): Error | undefined {
    const registered = this.scopes.get(rule);
    if (registered === undefined || registered.scopeTypes.length === 0) return undefined;
    const scope = tokenScopeOf(credentials);
    if (registered.scopeTypes.includes(scope)) return undefined;
    const listed = `[${registered.scopeTypes.map((s) => `'${s}'`).join(", ")}]`;
    if (this.enforceScope) {
      return new Error(`${registered.label} requires a scope of ${listed}, request was made with ${scope} scope.`);
    }
    this.warn({
      kind: "scope_mismatch",
      rule,
      message:
        `Policy ${registered.label} failed scope check. The token used to make the request was ${scope} scoped but the policy ` +
        `requires ${listed} scope. This behavior may change in the future where using the intended scope is required`,
    });
    return undefined;
  }
}
