/**
 * The tree a rule string parses into (oslo.policy's `_checks`), immutable. `toString()` renders
 * exactly what oslo's `str(check)` renders, and that text parses back to an equal tree.
 */

/** A node of a parsed rule. Discriminated by `type`. */
export type PolicyCheck = TrueCheck | FalseCheck | RuleCheck | RoleCheck | GenericCheck | NotCheck | AndCheck | OrCheck;

/** `@` (or an empty rule): always allows. */
export class TrueCheck {
  readonly type = "true";
  constructor() {
    Object.freeze(this);
  }
  toString(): string {
    return "@";
  }
}

/** `!`: always denies. */
export class FalseCheck {
  readonly type = "false";
  constructor() {
    Object.freeze(this);
  }
  toString(): string {
    return "!";
  }
}

/** `rule:<name>`: the result of another rule, resolved when the rule set loads. */
export class RuleCheck {
  readonly type = "rule";
  constructor(readonly name: string) {
    Object.freeze(this);
  }
  toString(): string {
    return `rule:${this.name}`;
  }
}

/** `role:<match>`: the credentials hold the role (case-insensitive; `%(key)s` from the target). */
export class RoleCheck {
  readonly type = "role";
  constructor(readonly match: string) {
    Object.freeze(this);
  }
  toString(): string {
    return `role:${this.match}`;
  }
}

/**
 * `<key>:<match>`: `match` (with `%(key)s` taken from the target) equals the credential at the
 * dotted path `key`, or equals `key` itself when `key` is a Python literal (`'Member'`, `True`).
 */
export class GenericCheck {
  readonly type = "generic";
  constructor(
    readonly key: string,
    readonly match: string,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `${this.key}:${this.match}`;
  }
}

/** `not <check>`. */
export class NotCheck {
  readonly type = "not";
  constructor(readonly check: PolicyCheck) {
    Object.freeze(this);
  }
  toString(): string {
    return `not ${this.check.toString()}`;
  }
}

/** `(<a> and <b> ...)`: every check allows (evaluated left to right, stopping at the first no). */
export class AndCheck {
  readonly type = "and";
  readonly checks: readonly PolicyCheck[];
  constructor(checks: readonly PolicyCheck[]) {
    this.checks = Object.freeze([...checks]);
    Object.freeze(this);
  }
  toString(): string {
    return `(${this.checks.map(String).join(" and ")})`;
  }
}

/** `(<a> or <b> ...)`: some check allows (evaluated left to right, stopping at the first yes). */
export class OrCheck {
  readonly type = "or";
  readonly checks: readonly PolicyCheck[];
  constructor(checks: readonly PolicyCheck[]) {
    this.checks = Object.freeze([...checks]);
    Object.freeze(this);
  }
  toString(): string {
    return `(${this.checks.map(String).join(" or ")})`;
  }
}

/** Structural equality of two trees (the same shape, kinds and texts). */
export function checksEqual(a: PolicyCheck, b: PolicyCheck): boolean {
  switch (a.type) {
    case "true":
    case "false":
      return a.type === b.type;
    case "rule":
      return b.type === "rule" && a.name === b.name;
    case "role":
      return b.type === "role" && a.match === b.match;
    case "generic":
      return b.type === "generic" && a.key === b.key && a.match === b.match;
    case "not":
      return b.type === "not" && checksEqual(a.check, b.check);
    case "and":
    case "or":
      return (
        b.type === a.type &&
        a.checks.length === b.checks.length &&
        a.checks.every((c, i) => checksEqual(c, b.checks[i] as PolicyCheck))
      );
  }
}

/** The names of every rule a tree references through `rule:` checks, in order, with repeats. */
export function referencedRules(check: PolicyCheck, into: string[] = []): string[] {
  if (check.type === "rule") into.push(check.name);
  else if (check.type === "not") referencedRules(check.check, into);
  else if (check.type === "and" || check.type === "or") for (const c of check.checks) referencedRules(c, into);
  return into;
}
