/**
 * Network use cases: create (with provider segment allocation), update, delete (refused while
 * ports other than Neutron's own DHCP/metadata ports remain), reads with policy.
 */

import type { ResourceChange } from "../domain/driver.js";
import { invalidInput, neutronError, policyNotAuthorized, resourceNotFound } from "../domain/faults.js";
import type { Network } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import { networkVisible, owns } from "./policy.js";
import { claimSegment, segmentKey, segmentMtu } from "./segments.js";

export interface NetworkCreate {
  name?: string | undefined;
  description?: string | undefined;
  admin_state_up?: boolean | undefined;
  shared?: boolean | undefined;
  "router:external"?: boolean | undefined;
  mtu?: number | undefined;
  port_security_enabled?: boolean | undefined;
  "provider:network_type"?: string | undefined;
  "provider:physical_network"?: string | null | undefined;
  "provider:segmentation_id"?: number | null | undefined;
  availability_zone_hints?: string[] | undefined;
  is_default?: boolean | undefined;
  project_id?: string | undefined;
  tenant_id?: string | undefined;
}

export type NetworkUpdate = Omit<NetworkCreate, "project_id" | "tenant_id">;

/** Ports Neutron deletes itself with their network (DHCP, OVN metadata). */
export const AUTO_DELETE_OWNERS = ["network:dhcp", "network:distributed"];

const PROVIDER = ["provider:network_type", "provider:physical_network", "provider:segmentation_id"] as const;

export class NetworkService {
  constructor(private readonly ctx: NeutronContext) {}

  /** Networks the caller may see. */
  async list(caller: Caller): Promise<Network[]> {
    return (await this.ctx.store.list("network")).filter((n) => networkVisible(caller, n));
  }

  /** The network, or 404 NetworkNotFound when missing or invisible. */
  async get(caller: Caller, id: string): Promise<Network> {
    const n = await this.ctx.store.get("network", id);
    if (n === undefined || !networkVisible(caller, n)) throw resourceNotFound("network", id);
    return n;
  }

  /** Creates a network; provider attributes, shared and router:external are admin-only (403). */
  async create(caller: Caller, body: NetworkCreate): Promise<Network> {
    const project = this.ctx.owningProject(caller, body);
    if (!caller.isAdmin) {
      for (const k of PROVIDER)
        if (body[k] !== undefined) throw policyNotAuthorized(`rule:create_network and rule:create_network:${k}`);
      if (body.shared === true) throw policyNotAuthorized("rule:create_network and rule:create_network:shared");
      if (body["router:external"] === true)
        throw policyNotAuthorized("rule:create_network and rule:create_network:router:external");
    }
    return this.ctx.withQuota(project, "network", async () => {
      const segment = await claimSegment(this.ctx.store, this.ctx.config, {
        network_type: body["provider:network_type"],
        physical_network: body["provider:physical_network"],
        segmentation_id: body["provider:segmentation_id"],
      });
      const maxMtu = segmentMtu(this.ctx.config, segment);
      const release = () => this.ctx.store.releaseSegment(segmentKey(segment));
      if (body.mtu !== undefined && body.mtu > maxMtu) {
        await release();
        throw invalidInput(`Requested MTU is too big, maximum is ${maxMtu}`);
      }
      const network: Network = {
        ...this.ctx.standardAttrs(body.description),
        project_id: project,
        tenant_id: project,
        name: body.name ?? "",
        admin_state_up: body.admin_state_up ?? true,
        status: "ACTIVE",
        shared: body.shared ?? false,
        "router:external": body["router:external"] ?? false,
        mtu: body.mtu ?? maxMtu,
        subnets: [],
        "provider:network_type": segment.network_type,
        "provider:physical_network": segment.physical_network,
        "provider:segmentation_id": segment.segmentation_id,
        port_security_enabled: body.port_security_enabled ?? true,
        availability_zone_hints: body.availability_zone_hints ?? [],
        availability_zones: [],
        ipv4_address_scope: null,
        ipv6_address_scope: null,
        l2_adjacency: true,
        is_default: body.is_default ?? false,
      };
      try {
        await this.ctx.validate({ kind: "network", op: "create", current: network });
      } catch (err) {
        await release();
        throw err;
      }
      await this.ctx.store.insert("network", network);
      await this.ctx.apply({ kind: "network", op: "create", current: network }, async () => {
        await this.ctx.store.remove("network", network.id);
        await release();
      });
      return network;
    });
  }

  /** Updates a network the caller owns (404 otherwise); provider attributes cannot change. */
  async update(caller: Caller, id: string, body: NetworkUpdate): Promise<Network> {
    const previous = await this.get(caller, id);
    if (!owns(caller, previous)) throw policyNotAuthorized("rule:update_network");
    for (const k of PROVIDER)
      if (body[k] !== undefined && body[k] !== previous[k])
        throw invalidInput("Plugin does not support updating provider attributes");
    if (!caller.isAdmin) {
      if (body.shared !== undefined && body.shared !== previous.shared)
        throw policyNotAuthorized("rule:update_network and rule:update_network:shared");
      if (body["router:external"] !== undefined && body["router:external"] !== previous["router:external"])
        throw policyNotAuthorized("rule:update_network and rule:update_network:router:external");
    }
    if (body.mtu !== undefined) {
      const max = segmentMtu(this.ctx.config, {
        network_type: previous["provider:network_type"],
        physical_network: previous["provider:physical_network"],
        segmentation_id: previous["provider:segmentation_id"],
      });
      if (body.mtu > max) throw invalidInput(`Requested MTU is too big, maximum is ${max}`);
    }
    const {
      "provider:network_type": _t,
      "provider:physical_network": _p,
      "provider:segmentation_id": _s,
      ...rest
    } = body;
    const changes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const next = this.ctx.bumped({ ...previous, ...changes });
    await this.ctx.validate({ kind: "network", op: "update", current: next, previous });
    const current = await this.ctx.store.update("network", id, (n) => this.ctx.bumped({ ...n, ...changes }));
    await this.ctx.apply({ kind: "network", op: "update", current, previous });
    return current;
  }

  /**
   * Deletes a network with its subnets and auto-deleted ports; 409 NetworkInUse while other ports
   * remain. Idempotent per call only (a second delete is 404).
   */
  async delete(caller: Caller, id: string, cascade: (networkId: string) => Promise<ResourceChange[]>): Promise<void> {
    const network = await this.get(caller, id);
    if (!owns(caller, network)) throw resourceNotFound("network", id);
    const cascaded = await this.ctx.locks.run(`network:${id}`, async () => {
      const ports = await this.ctx.store.list("port", { network_id: id });
      if (ports.some((p) => !AUTO_DELETE_OWNERS.includes(p.device_owner)))
        throw neutronError(
          "conflict",
          "NetworkInUse",
          `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`,
        );
      await this.ctx.validate({ kind: "network", op: "delete", current: network });
      const changes = await cascade(id);
      await this.ctx.store.remove("network", id);
      await this.ctx.store.releaseSegment(
        segmentKey({
          network_type: network["provider:network_type"],
          physical_network: network["provider:physical_network"],
          segmentation_id: network["provider:segmentation_id"],
        }),
      );
      return changes;
    });
    for (const change of cascaded) await this.ctx.apply(change);
    await this.ctx.apply({ kind: "network", op: "delete", current: network });
  }
}
