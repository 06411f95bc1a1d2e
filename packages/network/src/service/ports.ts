/**
 * Port use cases: create (MAC, fixed IPs through IPAM, port security, default security group,
 * binding), update (addresses re-allocated and released), delete (addresses released). Every
 * mutation of a network's ports holds that network's lock, so allocation is serialized.
 */
import { httpBadRequest, neutronError, policyNotAuthorized, resourceNotFound } from "../domain/faults.js";
import { canonicalMac, generateMac } from "../domain/mac.js";
import type { Network, Port } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import type { NetworkService } from "./networks.js";
import { owns, portVisible } from "./policy.js";
import { addressPairs, bindingFor, checkPortSecurity, isNetworkOwned } from "./port-attrs.js";
import { type FixedIpRequest, PortAddressing } from "./port-ips.js";
import type { SecurityGroupService } from "./security-groups.js";

export interface PortCreate {
  network_id: string;
  name?: string | undefined;
  description?: string | undefined;
  admin_state_up?: boolean | undefined;
  mac_address?: string | undefined;
  fixed_ips?: FixedIpRequest[] | undefined;
  device_id?: string | undefined;
  device_owner?: string | undefined;
  security_groups?: string[] | undefined;
  port_security_enabled?: boolean | undefined;
  allowed_address_pairs?: { ip_address: string; mac_address?: string | undefined }[] | undefined;
  "binding:host_id"?: string | undefined;
  "binding:vnic_type"?: string | undefined;
  "binding:profile"?: Record<string, unknown> | undefined;
  dns_name?: string | undefined;
  project_id?: string | undefined;
  tenant_id?: string | undefined;
}
export type PortUpdate = Omit<PortCreate, "network_id" | "project_id" | "tenant_id">;

/** Device owners whose ports only their own API may delete (Neutron's ServicePortInUse). */
const SERVICE_OWNERS = ["network:router_interface", "network:router_gateway", "network:floatingip"];

export class PortService {
  readonly addressing: PortAddressing;

  constructor(
    private readonly ctx: NeutronContext,
    private readonly networks: NetworkService,
    private readonly groups: SecurityGroupService,
  ) {
    this.addressing = new PortAddressing(ctx.store);
  }

  async list(caller: Caller): Promise<Port[]> {
    const nets = new Map((await this.ctx.store.list("network")).map((n) => [n.id, n]));
    return (await this.ctx.store.list("port")).filter((p) => portVisible(caller, p, nets.get(p.network_id)));
  }

  async get(caller: Caller, id: string): Promise<Port> {
    const p = await this.ctx.store.get("port", id);
    if (p === undefined || !portVisible(caller, p, await this.ctx.store.get("network", p.network_id)))
      throw resourceNotFound("port", id);
    return p;
  }

  private async uniqueMac(network: Network, asked: string | undefined, exceptPort?: string): Promise<string> {
    const used = new Set(
      (await this.ctx.store.list("port", { network_id: network.id }))
        .filter((p) => p.id !== exceptPort)
        .map((p) => p.mac_address),
    );
    if (asked !== undefined) {
      const mac = canonicalMac(asked);
      if (mac === null)
        throw httpBadRequest(`Invalid input for mac_address. Reason: '${asked}' is not a valid MAC address.`);
      if (used.has(mac))
        throw neutronError(
          "conflict",
          "MacAddressInUse",
          `Unable to complete operation for network ${network.id}. The mac address ${mac} is in use.`,
        );
      return mac;
    }
    for (let i = 0; i < 16; i++) {
      const mac = generateMac(this.ctx.config.baseMac, this.ctx.deps.randomBytes(3));
      if (!used.has(mac)) return mac;
    }
    throw neutronError(
      "backend_unavailable",
      "MacAddressGenerationFailure",
      `Unable to generate unique mac on network ${network.id}.`,
    );
  }

  /**
   * Creates a port. `internal` skips policy and quota (ports Neutron makes itself for routers and
   * floating IPs). Throws 404 for an invisible network, 403 on another project's network, 409 for
   * address and MAC conflicts, 400 for invalid attributes.
   */
  async create(caller: Caller, body: PortCreate, internal = false): Promise<Port> {
    const network = await this.networks.get(caller, body.network_id);
    const project = internal ? (body.project_id ?? network.project_id) : this.ctx.owningProject(caller, body);
    if (!internal) {
      if (!owns(caller, network) && !network.shared)
        throw neutronError(
          "forbidden",
          "HTTPForbidden",
          `Tenant ${project} not allowed to create port on this network`,
        );
      if (!caller.isAdmin && (body["binding:host_id"] !== undefined || body["binding:profile"] !== undefined))
        throw policyNotAuthorized("rule:create_port and rule:create_port:binding:host_id");
      if (!owns(caller, network) && body.fixed_ips?.some((f) => f.ip_address !== undefined))
        throw policyNotAuthorized("rule:create_port and rule:create_port:fixed_ips:ip_address");
      if (body.security_groups !== undefined) await this.groups.assertUsable(caller, body.security_groups);
    }
    const deviceOwner = body.device_owner ?? "";
    const portSecurity = body.port_security_enabled ?? network.port_security_enabled;
    // Neutron gives the default group only to a secured port that gets an address
    const defaultGroup =
      body.security_groups === undefined && portSecurity && !isNetworkOwned(deviceOwner)
        ? (await this.groups.ensureDefault(project)).id
        : null;
    const id = this.ctx.deps.newId();
    const locked = <T>(fn: () => Promise<T>) => this.ctx.locks.run(`network:${network.id}`, fn);
    const create = () =>
      locked(async () => {
        const mac = await this.uniqueMac(network, body.mac_address);
        const pairs = addressPairs(body.allowed_address_pairs ?? [], mac);
        if (pairs.length > 0 && !portSecurity)
          checkPortSecurity({
            port_security_enabled: false,
            security_groups: [],
            allowed_address_pairs: pairs,
            fixed_ips: [],
          });
        const subnets = await this.ctx.store.list("subnet", { network_id: network.id });
        const fixedIps = await this.addressing.allocate(network, subnets, body.fixed_ips, mac, id, {
          routerPort: deviceOwner.startsWith("network:router"),
        });
        const hostId = body["binding:host_id"] ?? "";
        const port: Port = {
          ...this.ctx.standardAttrs(body.description),
          id,
          project_id: project,
          tenant_id: project,
          name: body.name ?? "",
          network_id: network.id,
          mac_address: mac,
          admin_state_up: body.admin_state_up ?? true,
          status: hostId === "" ? "DOWN" : "ACTIVE",
          device_id: body.device_id ?? "",
          device_owner: deviceOwner,
          fixed_ips: fixedIps,
          allowed_address_pairs: pairs,
          extra_dhcp_opts: [],
          security_groups: body.security_groups ?? (defaultGroup !== null && fixedIps.length > 0 ? [defaultGroup] : []),
          port_security_enabled: portSecurity,
          "binding:host_id": hostId,
          ...bindingFor(hostId),
          "binding:vnic_type": body["binding:vnic_type"] ?? "normal",
          "binding:profile": body["binding:profile"] ?? {},
          dns_name: body.dns_name ?? "",
          propagate_uplink_status: false,
        };
        try {
          checkPortSecurity(port);
          await this.ctx.validate({ kind: "port", op: "create", current: port });
          await this.ctx.store.insert("port", port);
        } catch (err) {
          await this.addressing.release(fixedIps);
          throw err;
        }
        await this.ctx.apply({ kind: "port", op: "create", current: port }, async () => {
          await this.ctx.store.remove("port", port.id);
          await this.addressing.release(fixedIps);
        });
        return port;
      });
    return internal ? create() : this.ctx.withQuota(project, "port", create);
  }

  /** Updates a port; changed fixed_ips are allocated first and the dropped ones released after. */
  async update(caller: Caller, id: string, body: PortUpdate, internal = false): Promise<Port> {
    const previous = await this.get(caller, id);
    if (!internal && !owns(caller, previous)) throw policyNotAuthorized("rule:update_port");
    if (!internal && !caller.isAdmin) {
      if (body["binding:host_id"] !== undefined || body["binding:profile"] !== undefined)
        throw policyNotAuthorized("rule:update_port and rule:update_port:binding:host_id");
      if (body.mac_address !== undefined)
        throw policyNotAuthorized("rule:update_port and rule:update_port:mac_address");
    }
    if (body.security_groups !== undefined) await this.groups.assertUsable(caller, body.security_groups);
    const network = await this.networks.get({ projectId: null, isAdmin: true }, previous.network_id);
    return this.ctx.locks.run(`network:${network.id}`, async () => {
      const current = await this.get(caller, id);
      const next: Port = { ...current };
      if (body.mac_address !== undefined) {
        if (current["binding:vif_type"] !== "unbound")
          throw neutronError(
            "conflict",
            "PortBound",
            `Unable to complete operation on port ${id}, port is already bound.`,
          );
        next.mac_address = await this.uniqueMac(network, body.mac_address, id);
      }
      for (const k of [
        "name",
        "description",
        "admin_state_up",
        "device_id",
        "device_owner",
        "dns_name",
        "binding:vnic_type",
        "binding:profile",
      ] as const)
        if (body[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = body[k];
      if (body["binding:host_id"] !== undefined) {
        next["binding:host_id"] = body["binding:host_id"];
        Object.assign(next, bindingFor(body["binding:host_id"]));
        next.status = body["binding:host_id"] === "" ? "DOWN" : "ACTIVE";
      }
      if (body.port_security_enabled !== undefined) next.port_security_enabled = body.port_security_enabled;
      if (body.security_groups !== undefined) next.security_groups = body.security_groups;
      if (body.allowed_address_pairs !== undefined)
        next.allowed_address_pairs = addressPairs(body.allowed_address_pairs, next.mac_address);
      if (!next.port_security_enabled && body.security_groups === undefined && next.security_groups.length > 0)
        throw neutronError(
          "conflict",
          "PortSecurityPortHasSecurityGroup",
          "Port has security group associated. Cannot disable port security or ip address until security group is removed",
        );
      let added: Port["fixed_ips"] = [];
      if (body.fixed_ips !== undefined) {
        const subnets = await this.ctx.store.list("subnet", { network_id: network.id });
        next.fixed_ips = await this.addressing.allocate(network, subnets, body.fixed_ips, next.mac_address, id, {
          keep: current.fixed_ips,
        });
        added = next.fixed_ips.filter(
          (f) => !current.fixed_ips.some((c) => c.ip_address === f.ip_address && c.subnet_id === f.subnet_id),
        );
      }
      const dropped = current.fixed_ips.filter(
        (c) => !next.fixed_ips.some((f) => f.ip_address === c.ip_address && f.subnet_id === c.subnet_id),
      );
      try {
        checkPortSecurity(next);
        await this.ctx.validate({ kind: "port", op: "update", current: next, previous: current });
      } catch (err) {
        await this.addressing.release(added);
        throw err;
      }
      const stored = await this.ctx.store.update("port", id, () => this.ctx.bumped(next));
      await this.addressing.release(dropped);
      await this.ctx.apply({ kind: "port", op: "update", current: stored, previous: current });
      return stored;
    });
  }

  /** Deletes a port and releases its addresses; 409 ServicePortInUse for router/floating IP ports. */
  async delete(caller: Caller, id: string, internal = false): Promise<void> {
    const port = await this.get(caller, id);
    if (!internal && !owns(caller, port)) throw resourceNotFound("port", id);
    if (!internal && SERVICE_OWNERS.includes(port.device_owner))
      throw neutronError(
        "conflict",
        "ServicePortInUse",
        `Port ${id} cannot be deleted directly via the port API: has device owner ${port.device_owner}.`,
      );
    await this.ctx.locks.run(`network:${port.network_id}`, () => this.deleteLocked(port));
    await this.ctx.apply({ kind: "port", op: "delete", current: port });
  }

  /** The delete itself, under the network's lock (network delete cascades through it). */
  async deleteLocked(port: Port): Promise<void> {
    await this.ctx.validate({ kind: "port", op: "delete", current: port });
    await this.ctx.store.remove("port", port.id);
    await this.addressing.release(port.fixed_ips);
    for (const fip of await this.ctx.store.list("floatingip", { port_id: port.id }))
      await this.ctx.store.update("floatingip", fip.id, (f) =>
        this.ctx.bumped({ ...f, port_id: null, fixed_ip_address: null, router_id: null, status: "DOWN" }),
      );
  }
}
