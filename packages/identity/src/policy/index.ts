/**
 * Policy in oslo.policy's language: rule strings parsed once into immutable check trees, Keystone's
 * default rules as generated data, and an enforcer with oslo's scope types and deprecated-rule
 * semantics that implements the identity package's `Authorizer` port.
 *
 * ```ts
 * import { PolicyEnforcer, credentialsOf } from "./policy/index.js";
 *
 * const policy = new PolicyEnforcer({ overrides: "identity:list_projects: role:admin\n", enforceScope: true });
 * const creds = credentialsOf(request.auth);                       // core http's RequestContext
 * policy.enforce("identity:get_project", creds, { "target.project.id": projectId });
 * // throws forbidden: "You are not authorized to perform the requested action: identity:get_project."
 * parseRule("role:admin or (role:reader and system_scope:all)").toString();
 * // "(role:admin or (role:reader and system_scope:all))", which parses back to the same tree
 * ```
 */
export {
  AndCheck,
  checksEqual,
  FalseCheck,
  GenericCheck,
  NotCheck,
  OrCheck,
  type PolicyCheck,
  RoleCheck,
  RuleCheck,
  referencedRules,
  TrueCheck,
} from "./check.js";
export { credentialsOf, type TokenScope, tokenScopeOf } from "./credentials.js";
export { PolicyEnforcer, type PolicyEnforcerOptions } from "./enforcer.js";
export { type CompiledCheck, compileCheck, type PolicyTarget } from "./evaluate.js";
export { KEYSTONE_DEFAULT_RULES } from "./generated/keystone-defaults.gen.js";
export { type PolicyListRule, parseListRule, parseRule, policyParseError } from "./parse.js";
export {
  loadPolicyFile,
  PolicyFileRuleSchema,
  type PolicyFileRules,
  PolicyFileSchema,
  parsePolicyFile,
  policyFileRules,
} from "./policy-file.js";
export type { DeprecatedPolicyRule, PolicyRuleDefault } from "./rule-default.js";
export type { PolicyWarning } from "./rule-set.js";
