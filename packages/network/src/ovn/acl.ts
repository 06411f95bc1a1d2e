/**
 * Security groups in OVN: adapters over ./desired's translation (port group per group, one ACL
 * per rule, the drop group), in the shape ensure-sg writes.
 */
import type { SecurityGroup, SecurityGroupRule } from "../domain/model.js";
import { desiredAcl, desiredDropAcls, desiredPortGroup } from "./desired/index.js";
import type { NbRow } from "./rows.js";

export { ACL_PRIORITY_ALLOW, ACL_PRIORITY_DROP, aclMatch } from "./desired/index.js";

export const aclRow = (rule: SecurityGroupRule, stateful: boolean): NbRow => ({
  ...desiredAcl(rule, { stateful }).row,
});

export const portGroupRow = (sg: SecurityGroup): NbRow => ({ ...desiredPortGroup(sg) });

/** The drop group's ACLs: whatever reaches or leaves a secured port and no rule allowed. */
export const dropAclRows = (): NbRow[] => desiredDropAcls().map((a) => ({ ...a.row }));
