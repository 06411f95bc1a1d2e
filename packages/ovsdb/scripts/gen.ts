/**
 * `pnpm gen`: typed models from the .ovsschema files in ../schemas, written to
 * src/generated/*.gen.ts. The output is deterministic (tables and columns in schema order) and laid
 * out as biome would format it, so src/generated.test.ts can check the committed files are exactly
 * what this produces.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MODELS, renderSpec } from "../src/gen/models.js";

const root = new URL("../", import.meta.url);
for (const m of MODELS) {
  const text = renderSpec(m, readFileSync(new URL(`schemas/${m.schema}`, root), "utf8"));
  const out = fileURLToPath(new URL(`src/generated/${m.out}`, root));
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
