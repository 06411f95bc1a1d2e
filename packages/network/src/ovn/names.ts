/**
 * How Neutron's OVN driver names things in OVN_Northbound, as the driver looks rows up by them:
 * the names and external_ids keys of ./desired/naming.ts under the driver's short names.
 */
import { DROP_PORT_GROUP, EXT_ID, lrpName, ovnName, portGroupName, provnetPortName } from "./desired/naming.js";

export const lsName = (networkId: string): string => ovnName(networkId);
export const lrName = (routerId: string): string => ovnName(routerId);
/** One segment per network here, so the localnet port is named by the network. */
export const localnetName = (networkId: string): string => provnetPortName(networkId);
export const pgName = portGroupName;
export const PG_DROP = DROP_PORT_GROUP;
export const EXT = EXT_ID;
export { lrpName };
