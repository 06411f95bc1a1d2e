/**
 * A rule a service registers in code (oslo.policy's `RuleDefault` / `DocumentedRuleDefault`), as
 * plain data: Keystone's defaults are generated into this shape by `generate-defaults.py`.
 */

/** The rule a new default replaces (oslo.policy's `DeprecatedRule`). */
export interface DeprecatedPolicyRule {
  /** The old rule's name; usually the same as the new rule's. */
  readonly name: string;
  /** The old check string, OR-ed with the new one unless `enforceNewDefaults` is set. */
  readonly checkStr: string;
  /** Why the old default went away (shown in deprecation warnings). */
  readonly reason: string;
  /** The release that deprecated it (e.g. "S" for Stein). */
  readonly since: string;
}

/** A registered default rule. */
export interface PolicyRuleDefault {
  /** The rule's name, e.g. `identity:get_project` or `admin_required`. */
  readonly name: string;
  /** The check string in oslo.policy's language. */
  readonly checkStr: string;
  /** Token scopes the operation is meant for (`system`, `domain`, `project`); empty means any. */
  readonly scopeTypes: readonly string[];
  /** What the rule protects (Keystone's description text); may be empty. */
  readonly description: string;
  /** The default this one replaced, or null. */
  readonly deprecatedRule: DeprecatedPolicyRule | null;
  /** Whether the rule is going away entirely (an override of it draws a warning). */
  readonly deprecatedForRemoval: boolean;
}
