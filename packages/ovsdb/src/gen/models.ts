/**
 * The models `pnpm gen` writes: which .ovsschema file becomes which src/generated file, under
 * which names. Shared by scripts/gen.ts and the drift test, so both render the same way.
 */
import { parseSchema } from "../schema.js";
import { renderModel } from "./render.js";

export interface ModelSpec {
  /** file under packages/ovsdb/schemas */
  schema: string;
  /** file under packages/ovsdb/src/generated */
  out: string;
  /** constant prefix: <prefix>_SCHEMA, <prefix>_DATABASE */
  prefix: string;
  /** name of the table-map interface */
  tables: string;
}

export const MODELS: readonly ModelSpec[] = [
  { schema: "ovn-nb.ovsschema", out: "ovn-northbound.gen.ts", prefix: "OVN_NORTHBOUND", tables: "OvnNorthboundTables" },
  { schema: "ovn-sb.ovsschema", out: "ovn-southbound.gen.ts", prefix: "OVN_SOUTHBOUND", tables: "OvnSouthboundTables" },
  { schema: "vswitch.ovsschema", out: "open-vswitch.gen.ts", prefix: "OPEN_VSWITCH", tables: "OpenVSwitchTables" },
];

/** Renders one model from the schema file's text. Pure; throws SchemaError for a bad schema. */
export function renderSpec(spec: ModelSpec, schemaText: string): string {
  const schema = parseSchema(JSON.parse(schemaText) as unknown);
  return renderModel(schema, { file: spec.schema, prefix: spec.prefix, tablesInterface: spec.tables });
}
