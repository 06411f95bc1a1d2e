/**
 * add_router_interface / remove_router_interface: a subnet joins a router through a
 * `network:router_interface` port holding the subnet's gateway address (or through a given port).
 */
import { badResourceRequest, neutronError, resourceNotFound } from "../domain/faults.js";
import { cidrsOverlap, parseCidr } from "../domain/ip.js";
import { DEVICE_OWNER, type Port } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import { owns } from "./policy.js";
import type { PortService } from "./ports.js";
import { type RouterService, SYSTEM } from "./routers.js";
import type { SubnetService } from "./subnets.js";

export interface InterfaceRequest {
  subnet_id?: string | undefined;
  port_id?: string | undefined;
}

/** What both calls answer (Neutron's router interface info). */
export interface InterfaceInfo {
  id: string;
  tenant_id: string;
  project_id: string;
  port_id: string;
  network_id: string;
  subnet_id: string;
  subnet_ids: string[];
}

export class RouterInterfaceService {
  constructor(
    private readonly ctx: NeutronContext,
    private readonly routers: RouterService,
    private readonly subnets: SubnetService,
    private readonly ports: PortService,
  ) {}

  private info(routerId: string, port: Port): InterfaceInfo {
    const subnetIds = port.fixed_ips.map((f) => f.subnet_id);
    return {
      id: routerId,
      tenant_id: port.project_id,
      project_id: port.project_id,
      port_id: port.id,
      network_id: port.network_id,
      subnet_id: subnetIds[0] ?? "",
      subnet_ids: subnetIds,
    };
  }

  private static which(req: InterfaceRequest): "subnet" | "port" {
    if (req.subnet_id !== undefined && req.port_id !== undefined)
      throw badResourceRequest("router", "Cannot specify both subnet-id and port-id");
    if (req.subnet_id === undefined && req.port_id === undefined)
      throw badResourceRequest("router", "Either subnet_id or port_id must be specified");
    return req.subnet_id !== undefined ? "subnet" : "port";
  }

  /** Refuses a subnet the router already reaches, or one overlapping a subnet it reaches. */
  private async checkNewSubnets(routerId: string, subnetIds: readonly string[]): Promise<void> {
    const existing = await this.routers.interfaceSubnets(routerId);
    for (const id of subnetIds) {
      if (existing.includes(id)) throw badResourceRequest("router", `Router already has a port on subnet ${id}`);
      const s = await this.ctx.store.get("subnet", id);
      const c = s === undefined ? null : parseCidr(s.cidr);
      for (const otherId of existing) {
        const o = await this.ctx.store.get("subnet", otherId);
        const oc = o === undefined ? null : parseCidr(o.cidr);
        if (c !== null && oc !== null && s !== undefined && o !== undefined && cidrsOverlap(c, oc))
          throw badResourceRequest(
            "router",
            `Cidr ${s.cidr} of subnet ${id} overlaps with cidr ${o.cidr} of subnet ${otherId}`,
          );
      }
    }
  }

  async add(caller: Caller, routerId: string, req: InterfaceRequest): Promise<InterfaceInfo> {
    const router = await this.routers.get(caller, routerId);
    let port: Port;
    if (RouterInterfaceService.which(req) === "subnet") {
      const subnet = await this.subnets.get(caller, req.subnet_id!);
      if (subnet.gateway_ip === null)
        throw badResourceRequest("router", "Subnet for router interface must have a gateway IP");
      await this.checkNewSubnets(routerId, [subnet.id]);
      port = await this.ports.create(
        SYSTEM,
        {
          network_id: subnet.network_id,
          project_id: router.project_id,
          device_owner: DEVICE_OWNER.routerInterface,
          device_id: router.id,
          fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
        },
        true,
      );
    } else {
      const given = await this.ports.get(caller, req.port_id!);
      if (!owns(caller, given)) throw resourceNotFound("port", given.id);
      if (given.device_id !== "" || given.device_owner !== "")
        throw neutronError(
          "conflict",
          "PortInUse",
          `Unable to complete operation on port ${given.id} for network ${given.network_id}. Port already has an attached device ${given.device_id}.`,
        );
      if (given.fixed_ips.length === 0)
        throw badResourceRequest("router", "Router port must have at least one fixed IP");
      await this.checkNewSubnets(
        routerId,
        given.fixed_ips.map((f) => f.subnet_id),
      );
      port = await this.ports.update(
        SYSTEM,
        given.id,
        { device_owner: DEVICE_OWNER.routerInterface, device_id: router.id },
        true,
      );
    }
    await this.routers.touch(router.id);
    return this.info(router.id, port);
  }

  async remove(caller: Caller, routerId: string, req: InterfaceRequest): Promise<InterfaceInfo> {
    const router = await this.routers.get(caller, routerId);
    const ports = await this.ctx.store.list("port", {
      device_id: router.id,
      device_owner: DEVICE_OWNER.routerInterface,
    });
    let port: Port | undefined;
    if (RouterInterfaceService.which(req) === "subnet") {
      port = ports.find((p) => p.fixed_ips.some((f) => f.subnet_id === req.subnet_id));
      if (port === undefined)
        throw neutronError(
          "not_found",
          "RouterInterfaceNotFoundForSubnet",
          `Router ${router.id} has no interface on subnet ${req.subnet_id}`,
        );
    } else {
      port = ports.find((p) => p.id === req.port_id);
      if (port === undefined)
        throw neutronError(
          "not_found",
          "RouterInterfaceNotFound",
          `Router ${router.id} does not have an interface with id ${req.port_id}`,
        );
    }
    const found = port;
    const subnetIds = new Set(found.fixed_ips.map((f) => f.subnet_id));
    for (const fip of await this.ctx.store.list("floatingip", { router_id: router.id })) {
      const inner = fip.port_id === null ? undefined : await this.ctx.store.get("port", fip.port_id);
      if (inner?.fixed_ips.some((f) => subnetIds.has(f.subnet_id) && f.ip_address === fip.fixed_ip_address))
        throw neutronError(
          "conflict",
          "RouterInterfaceInUseByFloatingIP",
          `Router interface for subnet ${[...subnetIds][0]} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`,
        );
    }
    for (const route of router.routes)
      for (const id of subnetIds) {
        const s = await this.ctx.store.get("subnet", id);
        const c = s === undefined ? null : parseCidr(s.cidr);
        const hop = parseCidr(route.nexthop);
        if (c !== null && hop !== null && cidrsOverlap(c, hop))
          throw neutronError(
            "conflict",
            "RouterInterfaceInUseByRoute",
            `Router interface for subnet ${id} on router ${router.id} cannot be deleted, as it is required by one or more routes.`,
          );
      }
    await this.ports.delete(SYSTEM, found.id, true);
    await this.routers.touch(router.id);
    return this.info(router.id, found);
  }
}
