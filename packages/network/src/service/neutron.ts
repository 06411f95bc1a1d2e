/**
 * The Neutron use cases wired together (one per resource), sharing one context: the facade the
 * API routes call, and what a caller that skips HTTP can use directly.
 */
import type { ResourceChange } from "../domain/driver.js";
import type { Caller, ServiceDeps } from "./context.js";
import { NeutronContext } from "./context.js";
import { FloatingIpService } from "./floating-ips.js";
import { AUTO_DELETE_OWNERS, NetworkService } from "./networks.js";
import { PortService } from "./ports.js";
import { QuotaService } from "./quotas.js";
import { RouterInterfaceService } from "./router-interfaces.js";
import { RouterService } from "./routers.js";
import { SecurityGroupService } from "./security-groups.js";
import { SubnetService } from "./subnets.js";
import { TagService } from "./tags.js";

export class NeutronService {
  readonly ctx: NeutronContext;
  readonly networks: NetworkService;
  readonly subnets: SubnetService;
  readonly securityGroups: SecurityGroupService;
  readonly ports: PortService;
  readonly routers: RouterService;
  readonly routerInterfaces: RouterInterfaceService;
  readonly floatingIps: FloatingIpService;
  readonly quotas: QuotaService;
  readonly tags: TagService;

  constructor(deps: ServiceDeps) {
    this.ctx = new NeutronContext(deps);
    this.networks = new NetworkService(this.ctx);
    this.subnets = new SubnetService(this.ctx, this.networks);
    this.securityGroups = new SecurityGroupService(this.ctx);
    this.ports = new PortService(this.ctx, this.networks, this.securityGroups);
    this.routers = new RouterService(this.ctx, this.ports);
    this.routerInterfaces = new RouterInterfaceService(this.ctx, this.routers, this.subnets, this.ports);
    this.floatingIps = new FloatingIpService(this.ctx, this.ports, this.routers);
    this.quotas = new QuotaService(this.ctx);
    this.tags = new TagService(this.ctx);
  }

  /** Deletes a network with its DHCP/metadata ports and its subnets (409 NetworkInUse otherwise). */
  async deleteNetwork(caller: Caller, id: string): Promise<void> {
    await this.networks.delete(caller, id, async (networkId) => {
      const changes: ResourceChange[] = [];
      for (const port of await this.ctx.store.list("port", { network_id: networkId }))
        if (AUTO_DELETE_OWNERS.includes(port.device_owner)) {
          await this.ports.deleteLocked(port);
          changes.push({ kind: "port", op: "delete", current: port });
        }
      for (const subnet of await this.ctx.store.list("subnet", { network_id: networkId })) {
        await this.subnets.deleteLocked(subnet);
        changes.push({ kind: "subnet", op: "delete", current: subnet });
      }
      return changes;
    });
  }
}
