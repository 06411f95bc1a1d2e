/**
 * Subnet use cases: create (cidr, gateway, pools, DNS, routes, IPv6 modes; no overlap inside its
 * network), update, delete (409 SubnetInUse while user ports hold addresses), reads with policy.
 */
import { invalidInput, neutronError, policyNotAuthorized, resourceNotFound } from "../domain/faults.js";
import { cidrsOverlap, eui64, formatCidr, parseCidr } from "../domain/ip.js";
import type { AllocationPool, HostRoute, Ipv6Mode, Subnet } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import { AUTO_DELETE_OWNERS, type NetworkService } from "./networks.js";
import { owns, subnetNetworkVisible } from "./policy.js";
import {
  checkHostRoutes,
  checkIpv6Modes,
  checkNameservers,
  isAutoAddressSubnet,
  subnetCidr,
  subnetGateway,
  subnetPools,
} from "./subnet-rules.js";

export interface SubnetCreate {
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  name?: string | undefined;
  description?: string | undefined;
  gateway_ip?: string | null | undefined;
  allocation_pools?: AllocationPool[] | undefined;
  dns_nameservers?: string[] | undefined;
  host_routes?: HostRoute[] | undefined;
  enable_dhcp?: boolean | undefined;
  ipv6_ra_mode?: Ipv6Mode | null | undefined;
  ipv6_address_mode?: Ipv6Mode | null | undefined;
  service_types?: string[] | undefined;
  project_id?: string | undefined;
  tenant_id?: string | undefined;
}

export type SubnetUpdate = Partial<
  Pick<
    SubnetCreate,
    "name" | "description" | "gateway_ip" | "allocation_pools" | "dns_nameservers" | "host_routes" | "enable_dhcp"
  >
>;

export class SubnetService {
  constructor(
    private readonly ctx: NeutronContext,
    private readonly networks: NetworkService,
  ) {}

  async list(caller: Caller): Promise<Subnet[]> {
    const visible = new Set(
      (await this.ctx.store.list("network")).filter((n) => subnetNetworkVisible(caller, n)).map((n) => n.id),
    );
    return (await this.ctx.store.list("subnet")).filter((s) => owns(caller, s) || visible.has(s.network_id));
  }

  async get(caller: Caller, id: string): Promise<Subnet> {
    const s = await this.ctx.store.get("subnet", id);
    if (s === undefined) throw resourceNotFound("subnet", id);
    if (!owns(caller, s)) {
      const n = await this.ctx.store.get("network", s.network_id);
      if (n === undefined || !subnetNetworkVisible(caller, n)) throw resourceNotFound("subnet", id);
    }
    return s;
  }

  /** Creates a subnet on a network the caller owns (403 on another project's shared network). */
  async create(caller: Caller, body: SubnetCreate): Promise<Subnet> {
    const network = await this.networks.get(caller, body.network_id);
    if (!owns(caller, network)) throw policyNotAuthorized("rule:create_subnet");
    const project = this.ctx.owningProject(caller, body);
    const cidr = subnetCidr(body.cidr, body.ip_version);
    const gateway = subnetGateway(cidr, body.gateway_ip);
    const pools = subnetPools(cidr, gateway, body.allocation_pools);
    const enableDhcp = body.enable_dhcp ?? true;
    checkIpv6Modes(cidr, enableDhcp, body.ipv6_ra_mode, body.ipv6_address_mode);
    const subnet: Subnet = {
      ...this.ctx.standardAttrs(body.description),
      project_id: project,
      tenant_id: project,
      name: body.name ?? "",
      network_id: network.id,
      ip_version: body.ip_version,
      cidr: formatCidr(cidr),
      gateway_ip: gateway,
      allocation_pools: pools,
      dns_nameservers: checkNameservers(body.ip_version, body.dns_nameservers ?? []),
      host_routes: checkHostRoutes(body.ip_version, body.host_routes ?? []),
      enable_dhcp: enableDhcp,
      ipv6_ra_mode: body.ipv6_ra_mode ?? null,
      ipv6_address_mode: body.ipv6_address_mode ?? null,
      subnetpool_id: null,
      service_types: body.service_types ?? [],
      segment_id: null,
    };
    return this.ctx.withQuota(project, "subnet", () =>
      this.ctx.locks.run(`network:${network.id}`, async () => {
        for (const other of await this.ctx.store.list("subnet", { network_id: network.id })) {
          const oc = parseCidr(other.cidr);
          if (oc !== null && cidrsOverlap(oc, cidr))
            throw invalidInput(
              `Requested subnet with cidr: ${subnet.cidr} for network: ${network.id} overlaps with another subnet`,
            );
        }
        await this.ctx.validate({ kind: "subnet", op: "create", current: subnet });
        await this.ctx.store.insert("subnet", subnet);
        await this.ctx.store.update("network", network.id, (n) =>
          this.ctx.bumped({ ...n, subnets: [...n.subnets, subnet.id] }),
        );
        await this.ctx.apply({ kind: "subnet", op: "create", current: subnet }, () => this.forget(subnet));
        if (isAutoAddressSubnet(subnet)) await this.addAutoAddresses(subnet);
        return subnet;
      }),
    );
  }

  /**
   * Gives every existing port of the network (router ports aside) its EUI-64 address on a new
   * SLAAC/DHCPv6-stateless subnet, as Neutron does; the caller holds the network's lock.
   */
  private async addAutoAddresses(subnet: Subnet): Promise<void> {
    const cidr = parseCidr(subnet.cidr);
    if (cidr === null) return;
    for (const port of await this.ctx.store.list("port", { network_id: subnet.network_id })) {
      if (port.device_owner.startsWith("network:router")) continue;
      const ip = eui64(cidr, port.mac_address);
      if (!(await this.ctx.store.allocateIp({ subnet_id: subnet.id, ip_address: ip, port_id: port.id }))) continue;
      const current = await this.ctx.store.update("port", port.id, (p) =>
        this.ctx.bumped({ ...p, fixed_ips: [...p.fixed_ips, { subnet_id: subnet.id, ip_address: ip }] }),
      );
      await this.ctx.apply({ kind: "port", op: "update", current, previous: port });
    }
  }

  private async forget(subnet: Subnet): Promise<void> {
    await this.ctx.store.remove("subnet", subnet.id);
    await this.ctx.store
      .update("network", subnet.network_id, (n) =>
        this.ctx.bumped({ ...n, subnets: n.subnets.filter((id) => id !== subnet.id) }),
      )
      .catch(() => undefined);
  }

  async update(caller: Caller, id: string, body: SubnetUpdate): Promise<Subnet> {
    const previous = await this.get(caller, id);
    if (!owns(caller, previous)) throw policyNotAuthorized("rule:update_subnet");
    const cidr = subnetCidr(previous.cidr, previous.ip_version);
    const gateway = body.gateway_ip === undefined ? previous.gateway_ip : subnetGateway(cidr, body.gateway_ip);
    const pools = subnetPools(cidr, gateway, body.allocation_pools ?? previous.allocation_pools);
    if (gateway !== previous.gateway_ip) await this.checkGatewayChange(previous, gateway);
    const changes: Partial<Subnet> = { gateway_ip: gateway, allocation_pools: pools };
    if (body.name !== undefined) changes.name = body.name;
    if (body.description !== undefined) changes.description = body.description;
    if (body.enable_dhcp !== undefined) {
      checkIpv6Modes(cidr, body.enable_dhcp, previous.ipv6_ra_mode, previous.ipv6_address_mode);
      changes.enable_dhcp = body.enable_dhcp;
    }
    if (body.dns_nameservers !== undefined)
      changes.dns_nameservers = checkNameservers(previous.ip_version, body.dns_nameservers);
    if (body.host_routes !== undefined) changes.host_routes = checkHostRoutes(previous.ip_version, body.host_routes);
    const next = this.ctx.bumped({ ...previous, ...changes });
    await this.ctx.validate({ kind: "subnet", op: "update", current: next, previous });
    const current = await this.ctx.store.update("subnet", id, (s) => this.ctx.bumped({ ...s, ...changes }));
    await this.ctx.apply({ kind: "subnet", op: "update", current, previous });
    return current;
  }

  /** 409 GatewayIpInUse when a router port holds the current gateway or a port holds the new one. */
  private async checkGatewayChange(subnet: Subnet, next: string | null): Promise<void> {
    for (const a of await this.ctx.store.listAllocations({ subnet_id: subnet.id })) {
      const port = await this.ctx.store.get("port", a.port_id);
      const isRouter = port?.device_owner.startsWith("network:router") === true;
      if ((a.ip_address === subnet.gateway_ip && isRouter) || a.ip_address === next)
        throw neutronError(
          "conflict",
          "GatewayIpInUse",
          `Current gateway ip ${a.ip_address} already in use by port ${a.port_id}. Unable to update.`,
        );
    }
  }

  /**
   * Deletes a subnet: 409 SubnetInUse while a user port holds one of its addresses (addresses of
   * DHCP/metadata ports and SLAAC addresses are released from their ports).
   */
  async delete(caller: Caller, id: string): Promise<void> {
    const subnet = await this.get(caller, id);
    if (!owns(caller, subnet)) throw resourceNotFound("subnet", id);
    await this.ctx.locks.run(`network:${subnet.network_id}`, () => this.deleteLocked(subnet));
    await this.ctx.apply({ kind: "subnet", op: "delete", current: subnet });
  }

  /** The delete itself; the caller holds the network's lock. */
  async deleteLocked(subnet: Subnet): Promise<void> {
    const allocations = await this.ctx.store.listAllocations({ subnet_id: subnet.id });
    const auto = isAutoAddressSubnet(subnet);
    const holders = new Map<string, string>();
    for (const a of allocations) {
      const port = await this.ctx.store.get("port", a.port_id);
      if (port === undefined) continue;
      if (!auto && !AUTO_DELETE_OWNERS.includes(port.device_owner))
        throw neutronError(
          "conflict",
          "SubnetInUse",
          `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`,
        );
      holders.set(port.id, a.ip_address);
    }
    await this.ctx.validate({ kind: "subnet", op: "delete", current: subnet });
    for (const [portId, ip] of holders) {
      await this.ctx.store.update("port", portId, (p) =>
        this.ctx.bumped({ ...p, fixed_ips: p.fixed_ips.filter((f) => f.subnet_id !== subnet.id) }),
      );
      await this.ctx.store.releaseIp(subnet.id, ip);
    }
    await this.forget(subnet);
  }
}
