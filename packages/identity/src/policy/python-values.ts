/**
 * The bits of Python a check's semantics rest on: `str(value)` of what a target or credential
 * holds (`True`, `None`, ...), `ast.literal_eval` of a generic check's key (`'Member'`, `True`), and
 * `match % target` substitution of `%(key)s` placeholders.
 */

/** `str(value)` as Python renders JSON-like data: booleans `True`/`False`, null `None`. */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  return pyRepr(value);
}

function pyRepr(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replaceAll("'", "\\'")}'`;
    case "boolean":
      return value ? "True" : "False";
    case "number":
      return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    case "bigint":
      return String(value);
    case "undefined":
      return "None";
    case "object":
      if (value === null) return "None";
      if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
      return `{${Object.entries(value)
        .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
        .join(", ")}}`;
    default:
      return String(value);
  }
}

/**
 * `str(ast.literal_eval(key))` when a generic check's key is a Python literal (a quoted string,
 * `True`, `False`, `None`, an integer or a decimal), else undefined (the key is a credential path).
 */
export function pyLiteral(key: string): string | undefined {
  if (key === "True" || key === "False" || key === "None") return key;
  const quote = key[0];
  if (key.length >= 2 && (quote === "'" || quote === '"') && key.endsWith(quote)) {
    const body = key.slice(1, -1);
    if (!body.includes(quote) && !body.includes("\\")) return body;
  }
  if (/^[+-]?\d+$/.test(key)) return BigInt(key).toString();
  if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(key)) {
    const text = String(Number(key));
    return /[.e]/.test(text) ? text : `${text}.0`;
  }
  return undefined;
}

/** A check's match with its `%(key)s` placeholders located, ready to render against a target. */
export type MatchTemplate =
  | { readonly kind: "constant"; readonly text: string }
  | { readonly kind: "placeholder"; readonly key: string }
  | { readonly kind: "parts"; readonly parts: readonly (string | { readonly key: string })[] };

/** Why a match can't be a template, with the offset of the offending `%` in `match`. */
export interface TemplateError {
  /** Offset of the offending `%` within the match. */
  readonly offset: number;
  /** What is wrong there. */
  readonly reason: string;
}

/** Splits `match` into text and `%(key)s` placeholders (`%%` is a literal `%`), or says why not. */
export function compileTemplate(match: string): MatchTemplate | TemplateError {
  const parts: (string | { key: string })[] = [];
  let text = "";
  let i = 0;
  while (i < match.length) {
    const percent = match.indexOf("%", i);
    if (percent < 0) {
      text += match.slice(i);
      break;
    }
    text += match.slice(i, percent);
    if (match[percent + 1] === "%") {
      text += "%";
      i = percent + 2;
      continue;
    }
    const placeholder = /^%\(([^)]*)\)s/.exec(match.slice(percent));
    if (placeholder === null) {
      return { offset: percent, reason: "only %(name)s placeholders (and %% for a percent sign) are supported" };
    }
    if (text !== "") parts.push(text);
    text = "";
    parts.push({ key: placeholder[1] as string });
    i = percent + placeholder[0].length;
  }
  if (text !== "") parts.push(text);
  const [only] = parts;
  if (parts.length === 0) return { kind: "constant", text: "" };
  if (parts.length === 1 && typeof only === "string") return { kind: "constant", text: only };
  if (parts.length === 1 && typeof only === "object") return { kind: "placeholder", key: only.key };
  return { kind: "parts", parts };
}

/**
 * A target's value for a placeholder key: the flat key first (Keystone flattens targets to
 * `target.project.id`), then the same dotted path walked through nested objects. Undefined when
 * absent (oslo's KeyError: the check does not match).
 */
export function targetValue(target: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.hasOwn(target, key)) return target[key];
  if (!key.includes(".")) return undefined;
  let value: unknown = target;
  for (const segment of key.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** `match % target`: the rendered text, or undefined when a placeholder's key is absent. */
export function renderTemplate(template: MatchTemplate, target: Readonly<Record<string, unknown>>): string | undefined {
  if (template.kind === "constant") return template.text;
  if (template.kind === "placeholder") {
    const value = targetValue(target, template.key);
    return value === undefined ? undefined : pyStr(value);
  }
  let out = "";
  for (const part of template.parts) {
    if (typeof part === "string") out += part;
    else {
      const value = targetValue(target, part.key);
      if (value === undefined) return undefined;
      out += pyStr(value);
    }
  }
  return out;
}
