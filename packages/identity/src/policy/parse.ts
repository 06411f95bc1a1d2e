/**
 * Rule strings (and the legacy list-of-lists form) into immutable check trees, with oslo.policy's
 * grammar: `not` binds tightest, then `and`, then `or`; parentheses group. Where oslo logs and
 * fails closed (a rule it can't parse, a word without `kind:`), we throw at load instead, naming
 * the rule and the offending position, so a typo never silently denies.
 */
import { badRequest, type StratusError } from "@stratus/core/errors";
import {
  AndCheck,
  FalseCheck,
  GenericCheck,
  NotCheck,
  OrCheck,
  type PolicyCheck,
  RoleCheck,
  RuleCheck,
  TrueCheck,
} from "./check.js";
import { compileTemplate, pyLiteral } from "./python-values.js";
import { type PolicyToken, tokenizeRule } from "./tokenize.js";

/** The legacy JSON form: an OR of ANDs of check strings (`[["role:a", "role:b"], ["role:c"]]`). */
export type PolicyListRule = readonly (string | readonly string[])[];

const TRUE = new TrueCheck();
const FALSE = new FalseCheck();

/** A `bad_request` naming the rule, the position and the reason; `details` holds them as data. */
export function policyParseError(rule: string, text: string, position: number, reason: string): StratusError {
  const near = text.slice(position, position + 24);
  return badRequest(
    `Policy rule "${rule}" is invalid at position ${position}${near === "" ? " (end of rule)" : ` near "${near}"`}: ${reason} (rule text: "${text}")`,
    { details: { rule, position, reason, text } },
  );
}

/**
 * Parses one rule string. An empty string is `@` (always allow), as in oslo.
 * Throws `bad_request` (see `policyParseError`) when the text is not a valid rule.
 */
export function parseRule(text: string, ruleName = "(anonymous)"): PolicyCheck {
  if (text === "") return TRUE;
  const tokens = tokenizeRule(text);
  if (tokens.length === 0) return fail(ruleName, text, 0, "the rule is blank (use @ to allow or ! to deny)");
  const parser = new RuleParser(tokens, text, ruleName);
  const check = parser.orExpression();
  parser.expectEnd();
  return check;
}

/**
 * Parses the legacy list-of-lists form: `[]` allows, the outer list ORs, each inner list ANDs,
 * a bare string is a one-item list, empty inner lists are skipped (all empty: deny). Each item
 * must be a single check, so that the tree's `toString()` parses back to the same tree.
 */
export function parseListRule(rule: PolicyListRule, ruleName = "(anonymous)"): PolicyCheck {
  if (rule.length === 0) return TRUE;
  const alternatives: PolicyCheck[] = [];
  for (const inner of rule) {
    const items = typeof inner === "string" ? [inner] : inner;
    if (items.length === 0) continue;
    const all = items.map((item) => {
      const tokens = tokenizeRule(item);
      const only = tokens[0];
      if (tokens.length !== 1 || only === undefined || only.kind !== "check" || only.text !== item) {
        return fail(ruleName, item, 0, "each item of a list rule must be one check, such as role:admin");
      }
      return parseCheck(only, item, ruleName);
    });
    alternatives.push(all.length === 1 ? (all[0] as PolicyCheck) : new AndCheck(all));
  }
  if (alternatives.length === 0) return FALSE;
  return alternatives.length === 1 ? (alternatives[0] as PolicyCheck) : new OrCheck(alternatives);
}

function fail(rule: string, text: string, position: number, reason: string): never {
  throw policyParseError(rule, text, position, reason);
}

/** One `kind:match` word into its check (oslo's `_parse_check`). */
function parseCheck(token: PolicyToken, text: string, ruleName: string): PolicyCheck {
  const word = token.text;
  if (word === "@") return TRUE;
  if (word === "!") return FALSE;
  const colon = word.indexOf(":");
  if (colon < 0) return fail(ruleName, text, token.offset, `"${word}" is not a check (expected kind:match, @ or !)`);
  const kind = word.slice(0, colon);
  const match = word.slice(colon + 1);
  const matchAt = token.offset + colon + 1;
  if (kind === "") return fail(ruleName, text, token.offset, "a check needs a kind before its colon");
  if (kind === "http" || kind === "https") {
    return fail(ruleName, text, token.offset, `${kind}: checks (remote policy servers) are not supported`);
  }
  if (kind === "rule") {
    if (match === "") return fail(ruleName, text, matchAt, "rule: needs the name of a rule");
    return new RuleCheck(match);
  }
  const template = compileTemplate(match);
  if ("reason" in template) return fail(ruleName, text, matchAt + template.offset, template.reason);
  if (kind === "role") return new RoleCheck(match);
  if (pyLiteral(kind) === undefined && kind.split(".").some((segment) => segment === "")) {
    return fail(ruleName, text, token.offset, `"${kind}" is neither a literal nor a dotted credential path`);
  }
  return new GenericCheck(kind, match);
}

/** Recursive descent over the tokens; oslo's shift-reduce parser accepts the same language. */
class RuleParser {
  private next = 0;

  constructor(
    private readonly tokens: readonly PolicyToken[],
    private readonly text: string,
    private readonly ruleName: string,
  ) {}

  orExpression(): PolicyCheck {
    const first = this.andExpression();
    if (this.peek()?.kind !== "or") return first;
    const checks = [first];
    while (this.peek()?.kind === "or") {
      this.next++;
      checks.push(this.andExpression());
    }
    return new OrCheck(checks);
  }

  expectEnd(): void {
    const token = this.peek();
    if (token === undefined) return;
    const reason = token.kind === ")" ? "unbalanced ')'" : `expected "and", "or" or the end, found "${token.text}"`;
    fail(this.ruleName, this.text, token.offset, reason);
  }

  private andExpression(): PolicyCheck {
    const first = this.notExpression();
    if (this.peek()?.kind !== "and") return first;
    const checks = [first];
    while (this.peek()?.kind === "and") {
      this.next++;
      checks.push(this.notExpression());
    }
    return new AndCheck(checks);
  }

  private notExpression(): PolicyCheck {
    if (this.peek()?.kind !== "not") return this.atom();
    this.next++;
    return new NotCheck(this.notExpression());
  }

  private atom(): PolicyCheck {
    const token = this.peek();
    if (token === undefined) return fail(this.ruleName, this.text, this.text.length, "the rule ends too early");
    this.next++;
    switch (token.kind) {
      case "check":
        return parseCheck(token, this.text, this.ruleName);
      case "(": {
        const inner = this.orExpression();
        const close = this.peek();
        if (close?.kind !== ")") {
          return fail(
            this.ruleName,
            this.text,
            close?.offset ?? this.text.length,
            `'(' at ${token.offset} is not closed`,
          );
        }
        this.next++;
        return inner;
      }
      case "string":
        return fail(this.ruleName, this.text, token.offset, "a quoted string is not a check");
      default:
        return fail(this.ruleName, this.text, token.offset, `expected a check, "not" or "(", found "${token.text}"`);
    }
  }

  private peek(): PolicyToken | undefined {
    return this.tokens[this.next];
  }
}
