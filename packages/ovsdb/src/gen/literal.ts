/**
 * A JSON-like value as a TypeScript literal laid out the way biome formats it: a value that fits
 * on its line (120 columns) stays on one line, otherwise one element or property per line with
 * trailing commas; keys are quoted only when they must be.
 */

const WIDTH = 120;

/**
 * `value` as source text. `indent` is the current line's indentation, `lead` the columns already
 * used on the first line, `trail` the characters that follow the value on its last line.
 */
export function emitLiteral(value: unknown, indent: number, lead: number, trail: number): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const pad = " ".repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = `[${value.map((v) => emitLiteral(v, 0, 0, 0)).join(", ")}]`;
    if (fits(flat, lead, trail) && !isMatrix(value)) return flat;
    const items = value.map((v) => `${pad}${emitLiteral(v, indent + 2, indent + 2, 1)},`);
    return `[\n${items.join("\n")}\n${" ".repeat(indent)}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const flat = `{ ${entries.map(([k, v]) => `${key(k)}: ${emitLiteral(v, 0, 0, 0)}`).join(", ")} }`;
  if (fits(flat, lead, trail)) return flat;
  const props = entries.map(([k, v]) => {
    const head = `${pad}${key(k)}: `;
    return `${head}${emitLiteral(v, indent + 2, head.length, 1)},`;
  });
  return `{\n${props.join("\n")}\n${" ".repeat(indent)}}`;
}

// Like prettier, biome always breaks an array of two or more arrays (or objects) that each hold
// more than one element.
function isMatrix(items: readonly unknown[]): boolean {
  const size = (v: unknown) => (Array.isArray(v) ? v.length : Object.keys(v as object).length);
  const kind = (v: unknown) => (v === null || typeof v !== "object" ? "atom" : Array.isArray(v) ? "array" : "object");
  const first = kind(items[0]);
  return items.length > 1 && first !== "atom" && items.every((v) => kind(v) === first && size(v) > 1);
}

function fits(flat: string, lead: number, trail: number): boolean {
  return !flat.includes("\n") && lead + flat.length + trail <= WIDTH;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
