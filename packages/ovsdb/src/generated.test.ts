import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderModel, rowTypeName } from "./gen/render.js";
import { parseSchema } from "./schema.js";

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
