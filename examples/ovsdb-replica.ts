/**
 * @stratus/ovsdb: connect to OVN_Northbound (OVN_NB_DB, e.g. unix:/run/ovn/ovnnb_db.sock), write a
 * switch with two ports in one transaction, watch the replica's change events, and update a row
 * with an optimistic (conditional) transaction.
 */
import { assertSchema, OvsdbClient, parseSchema, type RowChange } from "@stratus/ovsdb";
import { OVN_NORTHBOUND_SCHEMA, type OvnNorthbound } from "@stratus/ovsdb/ovn";

const remote = process.env.OVN_NB_DB ?? "unix:/run/ovn/ovnnb_db.sock";
const nb = await OvsdbClient.connect({
  database: "OVN_Northbound",
  endpoints: remote,
  schema: OVN_NORTHBOUND_SCHEMA, // checked against the server's; every mismatch is reported at once
  parseSchema,
  checkSchema: assertSchema,
  tables: { Logical_Switch: true, Logical_Switch_Port: true },
});

const seen: RowChange[] = [];
nb.replica.onChange((changes) => seen.push(...changes));

const name = `example-${process.pid}`;
await nb.transaction((tx) => {
  const a = tx.insert("Logical_Switch_Port", { name: `${name}-a`, addresses: ["fa:16:3e:00:00:0a 10.0.0.10"] });
  const b = tx.insert("Logical_Switch_Port", { name: `${name}-b`, addresses: ["fa:16:3e:00:00:0b 10.0.0.11"] });
  tx.insert("Logical_Switch", { name, ports: [a, b], external_ids: { owner: "example" } });
});

const switches = nb.replica.table<OvnNorthbound.LogicalSwitch & { _version: string }>("Logical_Switch");
const ls = switches.lookupOne("name", name);
if (!ls || ls.ports.length !== 2) throw new Error("the replica should hold the switch with its two ports");
console.log(`switch ${ls.name} (${ls._uuid}) has ${ls.ports.length} ports; ${seen.length} row changes seen`);

// Read-modify-write: the transaction carries a `wait` on the row's _version and is re-run if
// another client changed the row in between.
await nb.transaction((tx) => {
  const row = tx.get<typeof ls>("Logical_Switch", ls._uuid);
  if (row) tx.update("Logical_Switch", row._uuid, { external_ids: { ...row.external_ids, revision: "2" } });
});
console.log(`external_ids now ${JSON.stringify(switches.get(ls._uuid)?.external_ids)}`);

await nb.transaction((tx) => tx.delete("Logical_Switch", ls._uuid));
nb.close();
console.log("ok");
