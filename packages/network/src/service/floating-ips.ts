/**
 * Floating IPs: an address on a `router:external` network (held by a `network:floatingip` port),
 * associated with an internal port's fixed IPv4 address through a router that has a gateway on
 * that external network and an interface on the port's subnet.
 */
import { badResourceRequest, neutronError, policyNotAuthorized, resourceNotFound } from "../domain/faults.js";
import { parseIp } from "../domain/ip.js";
import { DEVICE_OWNER, type FloatingIp } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import { owns } from "./policy.js";
import type { PortService } from "./ports.js";
import { type RouterService, SYSTEM } from "./routers.js";

export interface FloatingIpCreate {
  floating_network_id: string;
  floating_ip_address?: string | undefined;
  subnet_id?: string | undefined;
  port_id?: string | null | undefined;
  fixed_ip_address?: string | null | undefined;
  description?: string | undefined;
  project_id?: string | undefined;
  tenant_id?: string | undefined;
}
export type FloatingIpUpdate = Pick<FloatingIpCreate, "port_id" | "fixed_ip_address" | "description">;

type Association = Pick<FloatingIp, "port_id" | "fixed_ip_address" | "router_id" | "status">;

const DISASSOCIATED: Association = { port_id: null, fixed_ip_address: null, router_id: null, status: "DOWN" };

export class FloatingIpService {
  constructor(
    private readonly ctx: NeutronContext,
    private readonly ports: PortService,
    private readonly routers: RouterService,
  ) {}

  async list(caller: Caller): Promise<FloatingIp[]> {
    return (await this.ctx.store.list("floatingip")).filter((f) => owns(caller, f));
  }

  async get(caller: Caller, id: string): Promise<FloatingIp> {
    const f = await this.ctx.store.get("floatingip", id);
    if (f === undefined || !owns(caller, f)) throw resourceNotFound("floatingip", id);
    return f;
  }

  /** Where a floating IP on `networkId` must be routed to reach a port (404 when unreachable). */
  private async associate(
    caller: Caller,
    fip: Pick<FloatingIp, "id" | "floating_network_id" | "floating_ip_address">,
    portId: string | null | undefined,
    fixedIp: string | null | undefined,
  ): Promise<Association> {
    if (portId === null || portId === undefined) return DISASSOCIATED;
    const port = await this.ports.get(caller, portId);
    const v4 = port.fixed_ips.filter((f) => parseIp(f.ip_address)?.version === 4);
    let chosen = v4[0];
    if (fixedIp !== null && fixedIp !== undefined) {
      chosen = v4.find((f) => f.ip_address === fixedIp);
      if (chosen === undefined)
        throw badResourceRequest("floatingip", `Port ${port.id} does not have fixed ip ${fixedIp}`);
    } else if (v4.length > 1) {
      throw badResourceRequest(
        "floatingip",
        `Port ${port.id} has multiple fixed IPv4 addresses. Must provide a specific IPv4 address when assigning a floating IP`,
      );
    }
    if (chosen === undefined)
      throw badResourceRequest(
        "floatingip",
        `Cannot add floating IP to port ${port.id} that has no fixed IPv4 addresses`,
      );
    const target = chosen;
    for (const other of await this.ctx.store.list("floatingip", { port_id: port.id }))
      if (
        other.id !== fip.id &&
        other.fixed_ip_address === target.ip_address &&
        other.floating_network_id === fip.floating_network_id
      )
        throw neutronError(
          "conflict",
          "FloatingIPPortAlreadyAssociated",
          `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${port.id} using fixed IP ${target.ip_address}, as that fixed IP already has a floating IP on external network ${fip.floating_network_id}.`,
        );
    for (const router of await this.ctx.store.list("router")) {
      if (router.external_gateway_info?.network_id !== fip.floating_network_id) continue;
      if ((await this.routers.interfaceSubnets(router.id)).includes(target.subnet_id))
        return { port_id: port.id, fixed_ip_address: target.ip_address, router_id: router.id, status: "ACTIVE" };
    }
    throw neutronError(
      "not_found",
      "ExternalGatewayForFloatingIPNotFound",
      `External network ${fip.floating_network_id} is not reachable from subnet ${target.subnet_id}.  Therefore, cannot associate Port ${port.id} with a Floating IP.`,
    );
  }

  async create(caller: Caller, body: FloatingIpCreate): Promise<FloatingIp> {
    const project = this.ctx.owningProject(caller, body);
    const network = await this.ctx.store.get("network", body.floating_network_id);
    if (network === undefined) throw resourceNotFound("network", body.floating_network_id);
    if (!network["router:external"])
      throw badResourceRequest("floatingip", `Network ${network.id} is not a valid external network`);
    if (body.floating_ip_address !== undefined && !caller.isAdmin)
      throw policyNotAuthorized("rule:create_floatingip and rule:create_floatingip:floating_ip_address");
    return this.ctx.withQuota(project, "floatingip", async () => {
      const id = this.ctx.deps.newId();
      const request =
        body.floating_ip_address !== undefined || body.subnet_id !== undefined
          ? [{ subnet_id: body.subnet_id, ip_address: body.floating_ip_address }]
          : undefined;
      const port = await this.ports.create(
        SYSTEM,
        {
          network_id: network.id,
          device_owner: DEVICE_OWNER.floatingIp,
          device_id: id,
          project_id: "",
          fixed_ips: request,
        },
        true,
      );
      const address = port.fixed_ips.find((f) => parseIp(f.ip_address)?.version === 4) ?? port.fixed_ips[0];
      const drop = () => this.ports.delete(SYSTEM, port.id, true);
      if (address === undefined) {
        await drop();
        throw neutronError(
          "bad_request",
          "BadRequest",
          `Bad floatingip request: Network ${network.id} has no IPv4 subnet.`,
        );
      }
      let fip: FloatingIp;
      try {
        const base = { id, floating_network_id: network.id, floating_ip_address: address.ip_address };
        fip = {
          ...this.ctx.standardAttrs(body.description),
          ...base,
          project_id: project,
          tenant_id: project,
          ...(await this.associate(caller, base, body.port_id, body.fixed_ip_address)),
          dns_name: "",
          dns_domain: "",
          qos_policy_id: null,
        };
        await this.ctx.validate({ kind: "floatingip", op: "create", current: fip });
        await this.ctx.store.insert("floatingip", fip);
      } catch (err) {
        await drop();
        throw err;
      }
      const created = fip;
      await this.ctx.apply({ kind: "floatingip", op: "create", current: created }, async () => {
        await this.ctx.store.remove("floatingip", created.id);
        await drop();
      });
      return created;
    });
  }

  /** Associates (port_id), re-targets or disassociates (port_id null) a floating IP. */
  async update(caller: Caller, id: string, body: FloatingIpUpdate): Promise<FloatingIp> {
    const previous = await this.get(caller, id);
    const changes: Partial<FloatingIp> = {};
    if (body.description !== undefined) changes.description = body.description;
    if (body.port_id !== undefined || body.fixed_ip_address !== undefined) {
      const portId = body.port_id === undefined ? previous.port_id : body.port_id;
      Object.assign(changes, await this.associate(caller, previous, portId, body.fixed_ip_address));
    }
    await this.ctx.validate({ kind: "floatingip", op: "update", current: { ...previous, ...changes }, previous });
    const current = await this.ctx.store.update("floatingip", id, (f) => this.ctx.bumped({ ...f, ...changes }));
    await this.ctx.apply({ kind: "floatingip", op: "update", current, previous });
    return current;
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const fip = await this.get(caller, id);
    await this.ctx.validate({ kind: "floatingip", op: "delete", current: fip });
    await this.ctx.store.remove("floatingip", id);
    for (const p of await this.ctx.store.list("port", { device_id: id, device_owner: DEVICE_OWNER.floatingIp }))
      await this.ports.delete(SYSTEM, p.id, true);
    await this.ctx.apply({ kind: "floatingip", op: "delete", current: fip });
  }
}
