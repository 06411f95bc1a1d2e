/**
 * oslo.policy's tokenizer (`_parser._parse_tokenize`) with positions: split on whitespace, peel
 * leading `(` and trailing `)` off each word (a check's own `%(key)s` parentheses stay inside it),
 * recognise `and`/`or`/`not` in any case, and flag quoted words, which oslo cannot reduce.
 */

/** One token of a rule string, with its 0-based offset. */
export interface PolicyToken {
  /** What the token is. */
  readonly kind: "(" | ")" | "and" | "or" | "not" | "check" | "string";
  /** The token's text as written (a check's `kind:match`, a keyword's original case). */
  readonly text: string;
  /** Offset of the token's first character in the rule string. */
  readonly offset: number;
}

const KEYWORDS: ReadonlySet<string> = new Set(["and", "or", "not"]);

/** The tokens of `rule`, in order. Never throws: the parser judges them. */
export function tokenizeRule(rule: string): PolicyToken[] {
  const tokens: PolicyToken[] = [];
  for (const word of rule.matchAll(/\S+/g)) {
    const start = word.index;
    const raw = word[0];
    let lead = 0;
    while (raw[lead] === "(") tokens.push({ kind: "(", text: "(", offset: start + lead++ });
    if (lead === raw.length) continue;
    const tok = raw.slice(lead);
    let end = tok.length;
    while (end > 0 && tok[end - 1] === ")") end--;
    const clean = tok.slice(0, end);
    const offset = start + lead;
    if (KEYWORDS.has(clean.toLowerCase())) {
      tokens.push({ kind: clean.toLowerCase() as "and" | "or" | "not", text: clean, offset });
    } else if (clean !== "") {
      // oslo looks at the word before its trailing parentheses are peeled.
      const quoted = tok.length >= 2 && (tok[0] === '"' || tok[0] === "'") && tok.at(-1) === tok[0];
      tokens.push({ kind: quoted ? "string" : "check", text: clean, offset });
    }
    for (let i = end; i < tok.length; i++) tokens.push({ kind: ")", text: ")", offset: offset + i });
  }
  return tokens;
}
