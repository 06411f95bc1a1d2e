/**
 * `pnpm gen`: typed models from the .ovsschema files in ../schemas, written to
 * src/generated/*.gen.ts. The output is deterministic (tables and columns in schema order) so a
 * unit test can check that the committed files are what this produces.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderModel } from "../src/gen/render.js";
import { parseSchema } from "../src/schema.js";

export const MODELS = [
  { schema: "ovn-nb.ovsschema", out: "ovn-northbound.gen.ts", prefix: "OVN_NORTHBOUND", tables: "OvnNorthboundTables" },
  { schema: "ovn-sb.ovsschema", out: "ovn-southbound.gen.ts", prefix: "OVN_SOUTHBOUND", tables: "OvnSouthboundTables" },
  { schema: "vswitch.ovsschema", out: "open-vswitch.gen.ts", prefix: "OPEN_VSWITCH", tables: "OpenVSwitchTables" },
] as const;

const root = new URL("../", import.meta.url);
for (const m of MODELS) {
  const json = JSON.parse(readFileSync(new URL(`schemas/${m.schema}`, root), "utf8")) as unknown;
  const text = renderModel(parseSchema(json), { file: m.schema, prefix: m.prefix, tablesInterface: m.tables });
  const out = fileURLToPath(new URL(`src/generated/${m.out}`, root));
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
