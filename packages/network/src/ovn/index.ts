/**
 * @stratus/network/ovn: the OVN mechanism driver and the Neutron⇄OVN sync.
 *
 * ```ts
 * import { createNetworkApi } from "@stratus/network";
 * import { OvnMechanismDriver, syncOvn } from "@stratus/network/ovn";
 *
 * const driver = await OvnMechanismDriver.connect({ nbConnection: "tcp:127.0.0.1:6641" });
 * const { app, store } = createNetworkApi({ driver, authenticator, identityUri });
 * const report = await syncOvn(driver, store, "log"); // missing / stale / extra rows
 * ```
 */
export { ACL_PRIORITY_ALLOW, ACL_PRIORITY_DROP, aclMatch } from "./acl.js";
export { connectNorthbound, OVN_DRIVER_TABLES, type OvnDriverOptions, OvnMechanismDriver } from "./driver.js";
export type { L3Options, RouterState } from "./ensure-l3.js";
export { EXT, localnetName, lrName, lrpName, lsName, PG_DROP, pgName } from "./names.js";
export { type SyncFinding, type SyncMode, type SyncReport, syncOvn } from "./sync.js";
