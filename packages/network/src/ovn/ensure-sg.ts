/**
 * Security groups: a Port_Group per group holding its rules as ACLs, the drop group, and each
 * port's membership.
 */
import type { Row, RowRef, TxnBuilder } from "@stratus/ovsdb";
import type { Port, SecurityGroup, SecurityGroupRule } from "../domain/model.js";
import { aclRow, dropAclRows, portGroupRow } from "./acl.js";
import { EXT, PG_DROP, pgName } from "./names.js";
import { reconcileChildren, upsert } from "./reconcile.js";

const ruleKey = (c: Readonly<Record<string, unknown>>): string =>
  (c.external_ids as Record<string, string> | undefined)?.[EXT.securityGroupRuleId] ?? `match:${String(c.match)}`;

/** Makes the group's Port_Group and ACLs match its rules; creates remote groups' port groups if missing. */
export function ensureSecurityGroup(
  tx: TxnBuilder,
  sg: SecurityGroup,
  rules: readonly SecurityGroupRule[],
): RowRef | string {
  for (const remote of new Set(rules.map((r) => r.remote_group_id).filter((x): x is string => !!x))) {
    if (remote !== sg.id && !tx.lookup("Port_Group", "name", pgName(remote))[0]) {
      tx.insert("Port_Group", { name: pgName(remote), external_ids: { [EXT.securityGroupId]: remote } });
    }
  }
  const pg = tx.lookup("Port_Group", "name", pgName(sg.id))[0];
  const acls = reconcileChildren(
    tx,
    "ACL",
    childRows(tx, pg, "acls", "ACL"),
    rules.map((r) => aclRow(r, sg.stateful)),
    ruleKey,
  );
  return upsert(tx, "Port_Group", pg, { ...portGroupRow(sg), acls: acls.refs }).ref;
}

/** Deletes the group's Port_Group (its ACLs go with it). */
export function deleteSecurityGroup(tx: TxnBuilder, sgId: string): void {
  const pg = tx.lookup("Port_Group", "name", pgName(sgId))[0];
  if (pg) tx.delete("Port_Group", pg._uuid);
}

/** The drop group and its two ACLs. */
export function ensureDropGroup(tx: TxnBuilder): RowRef | string {
  const pg = tx.lookup("Port_Group", "name", PG_DROP)[0];
  const acls = reconcileChildren(
    tx,
    "ACL",
    childRows(tx, pg, "acls", "ACL"),
    dropAclRows(),
    (c) => `match:${String(c.match)}`,
  );
  return upsert(tx, "Port_Group", pg, { name: PG_DROP, acls: acls.refs }).ref;
}

/**
 * Puts the port's switch port in exactly the groups it belongs to: its security groups' and the
 * drop group when port security is on. `lspUuid` is the existing row (undefined when just inserted).
 */
export function ensurePortGroupMembership(
  tx: TxnBuilder,
  port: Port,
  groups: readonly string[],
  lsp: RowRef | string,
  lspUuid: string | undefined,
): void {
  const wanted = new Set(groups);
  for (const name of wanted) {
    const pg = tx.lookup("Port_Group", "name", name)[0];
    if (!pg) {
      const sgId = name === PG_DROP ? undefined : port.security_groups.find((id) => pgName(id) === name);
      const ref =
        name === PG_DROP
          ? ensureDropGroup(tx)
          : tx.insert("Port_Group", { name, external_ids: { [EXT.securityGroupId]: sgId ?? "" } });
      tx.mutate("Port_Group", ref, [["ports", "insert", [lsp]]]);
    } else if (!lspUuid || !tx.lookup("Port_Group", "ports_member", lspUuid).some((g) => g._uuid === pg._uuid)) {
      tx.mutate("Port_Group", pg._uuid, [["ports", "insert", [lsp]]]);
    }
  }
  if (!lspUuid) return;
  for (const pg of tx.lookup("Port_Group", "ports_member", lspUuid)) {
    if (!wanted.has(pg.name as string)) tx.mutate("Port_Group", pg._uuid, [["ports", "delete", [lspUuid]]]);
  }
}

/** The child rows a parent's reference column points at, read from the replica. */
export function childRows(tx: TxnBuilder, parent: Row | undefined, column: string, table: string): Row[] {
  if (!parent) return [];
  const out: Row[] = [];
  for (const uuid of parent[column] as readonly string[]) {
    const r = tx.peek(table, uuid);
    if (r) out.push(r);
  }
  return out;
}
