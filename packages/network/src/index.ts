/**
 * @stratus/network: the Neutron v2.0 API (networks, subnets, ports with IPAM, security groups,
 * routers, floating IPs, quotas, tags) over a store port, programming a backend through a
 * mechanism driver.
 *
 * ```ts
 * import { createNetworkApi, MemoryNeutronStore } from "@stratus/network";
 * const { app } = createNetworkApi({
 *   store: new MemoryNeutronStore(),
 *   authenticator, identityUri: "http://127.0.0.1:5000",
 *   options: { overlayMtu: 1442, physnets: ["physnet1"], vlanRanges: ["physnet1:100:199"] },
 * });
 * await app.listen({ host: "0.0.0.0", port: 9696 });
 * ```
 */
export { createNetworkApi, type NetworkApi, type NetworkApiDeps } from "./api/app.js";
export { EXTENSIONS } from "./api/extensions.js";
export {
  DEFAULT_QUOTAS,
  type NetworkApiConfig,
  type NetworkApiOptions,
  NetworkApiOptionsSchema,
  QUOTA_RESOURCES,
  type QuotaResource,
} from "./config.js";
export {
  type MechanismDriver,
  type NeutronView,
  NOOP_DRIVER,
  type ResourceChange,
  type ResourceKind,
} from "./domain/driver.js";
export type {
  AddressPair,
  AllocationPool,
  ExternalGatewayInfo,
  FixedIp,
  FloatingIp,
  HostRoute,
  Ipv6Mode,
  Network,
  NetworkType,
  Port,
  Router,
  SecurityGroup,
  SecurityGroupRule,
  StandardAttrs,
  Subnet,
} from "./domain/model.js";
export { DEVICE_OWNER } from "./domain/model.js";
export { type NeutronSnapshot, SnapshotView } from "./domain/snapshot-view.js";
export type { Caller } from "./service/context.js";
export { NeutronService } from "./service/neutron.js";
export { MemoryNeutronStore } from "./store/memory-store.js";
export { NETWORK_MIGRATIONS, SqlNeutronStore } from "./store/sql-store.js";
export type { FieldFilter, IpAllocation, NeutronStore, StoredRecords } from "./store/store.js";
