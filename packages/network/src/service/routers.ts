/**
 * Router use cases: create/update/delete with the external gateway (a `network:router_gateway` port
 * on a `router:external` network, SNAT on by default) and static routes (extraroute).
 */
import { badResourceRequest, neutronError, policyNotAuthorized, resourceNotFound } from "../domain/faults.js";
import { cidrContains, formatCidr, parseCidr, parseIp } from "../domain/ip.js";
import { DEVICE_OWNER, type ExternalGatewayInfo, type HostRoute, type Router } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import { owns } from "./policy.js";
import type { FixedIpRequest } from "./port-ips.js";
import type { PortService } from "./ports.js";

export interface GatewayRequest {
  network_id: string;
  enable_snat?: boolean | undefined;
  external_fixed_ips?: FixedIpRequest[] | undefined;
}

export interface RouterCreate {
  name?: string | undefined;
  description?: string | undefined;
  admin_state_up?: boolean | undefined;
  external_gateway_info?: GatewayRequest | null | undefined;
  project_id?: string | undefined;
  tenant_id?: string | undefined;
}
export interface RouterUpdate extends Omit<RouterCreate, "project_id" | "tenant_id"> {
  routes?: HostRoute[] | undefined;
}

/** The caller neutron acts as for its own ports (gateway, interface and floating IP ports). */
export const SYSTEM: Caller = { projectId: null, isAdmin: true };

export class RouterService {
  constructor(
    private readonly ctx: NeutronContext,
    private readonly ports: PortService,
  ) {}

  async list(caller: Caller): Promise<Router[]> {
    return (await this.ctx.store.list("router")).filter((r) => owns(caller, r));
  }

  async get(caller: Caller, id: string): Promise<Router> {
    const r = await this.ctx.store.get("router", id);
    if (r === undefined || !owns(caller, r)) throw resourceNotFound("router", id);
    return r;
  }

  /** Creates the gateway port and returns the gateway info; 400 unless the network is external. */
  private async openGateway(caller: Caller, router: Router, req: GatewayRequest): Promise<ExternalGatewayInfo> {
    if (!caller.isAdmin && (req.enable_snat !== undefined || req.external_fixed_ips !== undefined))
      throw policyNotAuthorized("rule:update_router and rule:update_router:external_gateway_info:external_fixed_ips");
    const network = await this.ctx.store.get("network", req.network_id);
    if (network === undefined) throw resourceNotFound("network", req.network_id);
    if (!network["router:external"])
      throw badResourceRequest("router", `Network ${req.network_id} is not an external network`);
    const port = await this.ports.create(
      SYSTEM,
      {
        network_id: network.id,
        device_owner: DEVICE_OWNER.routerGateway,
        device_id: router.id,
        project_id: "",
        fixed_ips: req.external_fixed_ips,
      },
      true,
    );
    return { network_id: network.id, enable_snat: req.enable_snat ?? true, external_fixed_ips: port.fixed_ips };
  }

  private async closeGateway(router: Router): Promise<void> {
    if (router.external_gateway_info === null) return;
    const inUse = (await this.ctx.store.list("floatingip", { router_id: router.id })).length > 0;
    if (inUse)
      throw neutronError(
        "conflict",
        "RouterExternalGatewayInUseByFloatingIp",
        `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${router.external_gateway_info.network_id} is required by one or more floating IPs.`,
      );
    for (const p of await this.ctx.store.list("port", {
      device_id: router.id,
      device_owner: DEVICE_OWNER.routerGateway,
    }))
      await this.ports.delete(SYSTEM, p.id, true);
  }

  async create(caller: Caller, body: RouterCreate): Promise<Router> {
    const project = this.ctx.owningProject(caller, body);
    return this.ctx.withQuota(project, "router", async () => {
      let router: Router = {
        ...this.ctx.standardAttrs(body.description),
        project_id: project,
        tenant_id: project,
        name: body.name ?? "",
        admin_state_up: body.admin_state_up ?? true,
        status: "ACTIVE",
        external_gateway_info: null,
        routes: [],
        distributed: false,
        ha: false,
        availability_zone_hints: [],
        availability_zones: [],
        flavor_id: null,
      };
      await this.ctx.validate({ kind: "router", op: "create", current: router });
      await this.ctx.store.insert("router", router);
      try {
        if (body.external_gateway_info != null) {
          const gw = await this.openGateway(caller, router, body.external_gateway_info);
          router = await this.ctx.store.update("router", router.id, (r) => ({ ...r, external_gateway_info: gw }));
        }
      } catch (err) {
        await this.ctx.store.remove("router", router.id);
        throw err;
      }
      const created = router;
      await this.ctx.apply({ kind: "router", op: "create", current: created }, async () => {
        await this.closeGateway(created).catch(() => undefined);
        await this.ctx.store.remove("router", created.id);
      });
      return created;
    });
  }

  /** The subnets a router has interfaces on (for route next hops and floating IP reachability). */
  async interfaceSubnets(routerId: string): Promise<string[]> {
    const ports = await this.ctx.store.list("port", {
      device_id: routerId,
      device_owner: DEVICE_OWNER.routerInterface,
    });
    return ports.flatMap((p) => p.fixed_ips.map((f) => f.subnet_id));
  }

  private async checkRoutes(router: Router, routes: readonly HostRoute[]): Promise<HostRoute[]> {
    const cidrs = [];
    for (const id of await this.interfaceSubnets(router.id)) {
      const s = await this.ctx.store.get("subnet", id);
      const c = s === undefined ? null : parseCidr(s.cidr);
      if (c !== null) cidrs.push(c);
    }
    const out: HostRoute[] = [];
    for (const r of routes) {
      const dest = parseCidr(r.destination);
      const hop = parseIp(r.nexthop);
      const invalid = (why: string) =>
        neutronError("bad_request", "InvalidRoutes", `Invalid format for routes: ${JSON.stringify([r])}, ${why}`);
      if (dest === null || hop === null) throw invalid("the route is not valid");
      if (!cidrs.some((c) => cidrContains(c, hop))) throw invalid("the nexthop does not belong to router");
      const route = { destination: formatCidr(dest), nexthop: r.nexthop };
      if (!out.some((o) => o.destination === route.destination && o.nexthop === route.nexthop)) out.push(route);
    }
    return out;
  }

  async update(caller: Caller, id: string, body: RouterUpdate): Promise<Router> {
    const previous = await this.get(caller, id);
    const changes: Partial<Router> = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.description !== undefined) changes.description = body.description;
    if (body.admin_state_up !== undefined) changes.admin_state_up = body.admin_state_up;
    if (body.routes !== undefined) changes.routes = await this.checkRoutes(previous, body.routes);
    await this.ctx.validate({ kind: "router", op: "update", current: { ...previous, ...changes }, previous });
    const gw = body.external_gateway_info;
    if (gw !== undefined) {
      const same =
        gw !== null &&
        previous.external_gateway_info?.network_id === gw.network_id &&
        gw.external_fixed_ips === undefined;
      if (same) {
        if (gw.enable_snat !== undefined) {
          if (!caller.isAdmin)
            throw policyNotAuthorized("rule:update_router and rule:update_router:external_gateway_info:enable_snat");
          changes.external_gateway_info = { ...previous.external_gateway_info!, enable_snat: gw.enable_snat };
        }
      } else {
        await this.closeGateway(previous);
        changes.external_gateway_info =
          gw === null || gw.network_id === undefined ? null : await this.openGateway(caller, previous, gw);
      }
    }
    const current = await this.ctx.store.update("router", id, (r) => this.ctx.bumped({ ...r, ...changes }));
    await this.ctx.apply({ kind: "router", op: "update", current, previous });
    return current;
  }

  /** Deletes a router and its gateway port; 409 RouterInUse while interfaces remain. */
  async delete(caller: Caller, id: string): Promise<void> {
    const router = await this.get(caller, id);
    if (
      (await this.interfaceSubnets(id)).length > 0 ||
      (await this.ctx.store.list("port", { device_id: id, device_owner: DEVICE_OWNER.routerInterface })).length > 0
    )
      throw neutronError("conflict", "RouterInUse", `Router ${id} still has ports`);
    await this.ctx.validate({ kind: "router", op: "delete", current: router });
    await this.closeGateway(router);
    await this.ctx.store.remove("router", id);
    await this.ctx.apply({ kind: "router", op: "delete", current: router });
  }

  /** Bumps a router's revision after an interface change and tells the driver. */
  async touch(id: string): Promise<Router> {
    const previous = await this.ctx.store.get("router", id);
    const current = await this.ctx.store.update("router", id, (r) => this.ctx.bumped(r));
    await this.ctx.apply({ kind: "router", op: "update", current, ...(previous === undefined ? {} : { previous }) });
    return current;
  }
}
