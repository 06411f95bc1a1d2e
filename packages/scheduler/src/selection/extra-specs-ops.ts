/**
 * Nova's extra_specs_ops: matches a host value against a requirement such as `>= 4`, `s== ssd`,
 * `<in> avx2`, `<all-in> avx avx2`, `<or> a <or> b`. A requirement without a known operator is
 * compared as a plain string; `=` means "at least" (numerically), as in Nova.
 */

type Op = (value: string, operand: string) => boolean;

const num = (f: (a: number, b: number) => boolean): Op => {
  return (value, operand) => {
    const a = Number(value);
    const b = Number(operand);
    // A non-numeric side never matches (Nova raises ValueError and the host fails).
    return value.trim() !== "" && operand.trim() !== "" && !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
  };
};

const OPS: Readonly<Record<string, Op>> = {
  "=": num((a, b) => a >= b),
  "==": num((a, b) => a === b),
  "!=": num((a, b) => a !== b),
  ">=": num((a, b) => a >= b),
  "<=": num((a, b) => a <= b),
  "<in>": (value, operand) => value.includes(operand),
  "s==": (a, b) => a === b,
  "s!=": (a, b) => a !== b,
  "s<": (a, b) => a < b,
  "s<=": (a, b) => a <= b,
  "s>": (a, b) => a > b,
  "s>=": (a, b) => a >= b,
};

/** A requirement compiled once: call it with host values. */
export type ExtraSpecMatcher = (value: string | undefined) => boolean;

/** Compiles `requirement` (an extra spec's value) into a matcher of host values. */
export function compileExtraSpec(requirement: string): ExtraSpecMatcher {
  const words = requirement
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  const op = words[0];
  const method = op === undefined ? undefined : OPS[op];
  if (op !== "<or>" && op !== "<all-in>" && method === undefined) return (value) => value === requirement;
  if (op === "<or>") {
    // `<or> a <or> b`: every other word is a candidate.
    const alternatives = words.filter((_, i) => i % 2 === 1);
    return (value) => value !== undefined && alternatives.includes(value);
  }
  if (op === "<all-in>") {
    const all = words.slice(1);
    return (value) => value !== undefined && all.length > 0 && all.every((w) => value.includes(w));
  }
  const operand = words[1];
  if (operand === undefined || method === undefined) return () => false;
  return (value) => value !== undefined && method(value, operand);
}

/** True when `value` (a host's) satisfies `requirement` (an extra spec's value). */
export function matchExtraSpec(value: string | undefined, requirement: string): boolean {
  return compileExtraSpec(requirement)(value);
}
