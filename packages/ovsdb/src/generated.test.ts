import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderModel, rowTypeName } from "./gen/render.js";
import { OVN_NORTHBOUND_SCHEMA } from "./generated/index.js";
import { parseSchema } from "./schema.js";
import { assertSchema, checkSchema } from "./schema-check.js";

const MODELS = [
  ["ovn-nb.ovsschema", "ovn-northbound.gen.ts", "OVN_NORTHBOUND", "OvnNorthboundTables"],
  ["ovn-sb.ovsschema", "ovn-southbound.gen.ts", "OVN_SOUTHBOUND", "OvnSouthboundTables"],
  ["vswitch.ovsschema", "open-vswitch.gen.ts", "OPEN_VSWITCH", "OpenVSwitchTables"],
] as const;

describe("generated models", () => {
  it.each(MODELS)(
    "%s renders exactly to the committed %s (run `pnpm gen` after changing a schema)",
    (schema, out, prefix, tables) => {
      const json = JSON.parse(readFileSync(new URL(`../schemas/${schema}`, import.meta.url), "utf8")) as unknown;
      const rendered = renderModel(parseSchema(json), { file: schema, prefix, tablesInterface: tables });
      expect(rendered).toBe(readFileSync(new URL(`./generated/${out}`, import.meta.url), "utf8"));
    },
  );

  it.each([
    ["Logical_Switch", "LogicalSwitch"],
    ["NB_Global", "NBGlobal"],
    ["ACL", "ACL"],
    ["Logical_Router_Static_Route", "LogicalRouterStaticRoute"],
    ["Open_vSwitch", "OpenVSwitch"],
  ])("names table %s's row type %s", (table, name) => {
    expect(rowTypeName(table)).toBe(name);
  });
});

describe("checkSchema", () => {
  it("finds nothing between a schema and itself, or a server with extra tables and columns", () => {
    expect(checkSchema(OVN_NORTHBOUND_SCHEMA, OVN_NORTHBOUND_SCHEMA)).toEqual([]);
    const newer = structuredClone(OVN_NORTHBOUND_SCHEMA);
    newer.tables.Extra = { columns: {} };
    (newer.tables.ACL as { columns: Record<string, unknown> }).columns.extra = {
      type: { key: { type: "string" }, min: 1, max: 1 },
    };
    expect(checkSchema(OVN_NORTHBOUND_SCHEMA, newer)).toEqual([]);
  });

  it("reports every missing table, missing column and type change at once", () => {
    const older = structuredClone(OVN_NORTHBOUND_SCHEMA);
    delete older.tables.Copp;
    delete (older.tables.ACL as { columns: Record<string, unknown> }).columns.label;
    (older.tables.Logical_Switch_Port as { columns: Record<string, { type: unknown }> }).columns.type = {
      type: { key: { type: "integer" }, min: 1, max: 1 },
    };
    const found = checkSchema(OVN_NORTHBOUND_SCHEMA, older).map((m) => `${m.table}.${m.column ?? ""}: ${m.problem}`);
    expect(found.sort()).toEqual([
      "ACL.label: column missing on the server",
      "Copp.: table missing on the server",
      "Logical_Switch_Port.type: key type is integer on the server, expected string",
    ]);
    expect(() => assertSchema(OVN_NORTHBOUND_SCHEMA, older)).toThrow(/3 mismatches/);
  });
});
