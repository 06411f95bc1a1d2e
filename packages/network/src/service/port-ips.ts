/**
 * IPAM backed by the store: turns a port's requested fixed_ips (or none: Neutron's defaults) into
 * allocations. The caller holds the network's lock, so the free address it computes is still free;
 * the store's unique (subnet, address) is the last guard.
 */
import { invalidInput, neutronError } from "../domain/faults.js";
import { cidrContains, eui64, parseCidr, parseIp } from "../domain/ip.js";
import { nextFreeAddress, validForSubnet } from "../domain/ipam.js";
import type { FixedIp, Network, Subnet } from "../domain/model.js";
import type { NeutronStore } from "../store/store.js";
import { isAutoAddressSubnet } from "./subnet-rules.js";

export interface FixedIpRequest {
  subnet_id?: string | undefined;
  ip_address?: string | undefined;
}

const alreadyAllocated = (ip: string, subnetId: string) =>
  neutronError("conflict", "IpAddressAlreadyAllocated", `IP address ${ip} already allocated in subnet ${subnetId}`);

const exhausted = (networkId: string) =>
  neutronError("conflict", "IpAddressGenerationFailure", `No more IP addresses available on network ${networkId}.`);

export class PortAddressing {
  constructor(private readonly store: NeutronStore) {}

  /** Records one address for the port; 409 IpAddressAlreadyAllocated when held. */
  private async take(subnet: Subnet, ip: string, portId: string): Promise<FixedIp> {
    if (!(await this.store.allocateIp({ subnet_id: subnet.id, ip_address: ip, port_id: portId })))
      throw alreadyAllocated(ip, subnet.id);
    return { subnet_id: subnet.id, ip_address: ip };
  }

  /** The next free pool address of `subnet`, or null when full. */
  private async takeNext(subnet: Subnet, portId: string): Promise<FixedIp | null> {
    for (;;) {
      const taken = new Set((await this.store.listAllocations({ subnet_id: subnet.id })).map((a) => a.ip_address));
      if (subnet.gateway_ip !== null) taken.add(subnet.gateway_ip);
      const ip = nextFreeAddress(subnet.ip_version, subnet.allocation_pools, taken);
      if (ip === null) return null;
      if (await this.store.allocateIp({ subnet_id: subnet.id, ip_address: ip, port_id: portId }))
        return { subnet_id: subnet.id, ip_address: ip };
    }
  }

  private async takeOne(subnet: Subnet, request: FixedIpRequest, mac: string, portId: string): Promise<FixedIp> {
    const cidr = parseCidr(subnet.cidr);
    if (cidr === null) throw invalidInput(`Subnet ${subnet.id} has an invalid cidr`);
    if (isAutoAddressSubnet(subnet)) {
      if (request.ip_address !== undefined)
        throw invalidInput(
          `IPv6 address ${request.ip_address} cannot be directly assigned to a port on subnet ${subnet.id} since the subnet is configured for automatic addresses`,
        );
      return this.take(subnet, eui64(cidr, mac), portId);
    }
    if (request.ip_address !== undefined) {
      if (!validForSubnet(cidr, request.ip_address))
        throw neutronError(
          "bad_request",
          "InvalidIpForSubnet",
          `IP address ${request.ip_address} is not a valid IP for the specified subnet.`,
        );
      return this.take(subnet, request.ip_address, portId);
    }
    const got = await this.takeNext(subnet, portId);
    if (got === null) throw exhausted(subnet.network_id);
    return got;
  }

  /**
   * Allocates addresses for a port. `requests` undefined means Neutron's defaults: one address
   * from the first IPv4 subnet with room, one from the first stateful IPv6 subnet, and an EUI-64
   * address on each SLAAC subnet (skipped for router ports). On failure every address taken here is
   * released before the error is thrown.
   */
  async allocate(
    network: Network,
    subnets: readonly Subnet[],
    requests: readonly FixedIpRequest[] | undefined,
    mac: string,
    portId: string,
    options: { keep?: readonly FixedIp[]; routerPort?: boolean } = {},
  ): Promise<FixedIp[]> {
    const made: FixedIp[] = [];
    const newlyTaken: FixedIp[] = [];
    const add = (ip: FixedIp, isNew: boolean) => {
      made.push(ip);
      if (isNew) newlyTaken.push(ip);
    };
    try {
      if (requests === undefined) {
        await this.defaults(network, subnets, mac, portId, options.routerPort ?? false, newlyTaken);
        made.push(...newlyTaken);
      } else
        for (const r of requests) {
          const subnet = this.subnetFor(network, subnets, r);
          const kept = options.keep?.find(
            (k) =>
              k.subnet_id === subnet.id &&
              (r.ip_address === undefined || k.ip_address === r.ip_address) &&
              !made.some((m) => m.ip_address === k.ip_address),
          );
          if (kept !== undefined) {
            add(kept, false);
            continue;
          }
          if (
            r.ip_address !== undefined &&
            made.some((m) => m.ip_address === r.ip_address && m.subnet_id === subnet.id)
          )
            throw alreadyAllocated(r.ip_address, subnet.id);
          add(await this.takeOne(subnet, r, mac, portId), true);
        }
    } catch (err) {
      await this.release(newlyTaken);
      throw err;
    }
    return made;
  }

  private async defaults(
    network: Network,
    subnets: readonly Subnet[],
    mac: string,
    portId: string,
    routerPort: boolean,
    made: FixedIp[],
  ): Promise<void> {
    const v4 = subnets.filter((s) => s.ip_version === 4);
    const v6 = subnets.filter((s) => s.ip_version === 6 && !isAutoAddressSubnet(s));
    for (const group of [v4, v6]) {
      if (group.length === 0) continue;
      let got: FixedIp | null = null;
      for (const s of group) {
        got = await this.takeNext(s, portId);
        if (got !== null) break;
      }
      if (got === null) throw exhausted(network.id);
      made.push(got);
    }
    if (!routerPort)
      for (const s of subnets.filter(isAutoAddressSubnet)) made.push(await this.takeOne(s, {}, mac, portId));
  }

  private subnetFor(network: Network, subnets: readonly Subnet[], r: FixedIpRequest): Subnet {
    if (r.subnet_id !== undefined) {
      const s = subnets.find((x) => x.id === r.subnet_id);
      if (s === undefined)
        throw invalidInput(
          `Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${r.subnet_id}`,
        );
      return s;
    }
    const ip = r.ip_address === undefined ? null : parseIp(r.ip_address);
    const s =
      ip === null
        ? undefined
        : subnets.find((x) => {
            const c = parseCidr(x.cidr);
            return c !== null && cidrContains(c, ip);
          });
    if (s === undefined)
      throw neutronError(
        "bad_request",
        "InvalidIpForNetwork",
        `IP address ${r.ip_address ?? ""} is not a valid IP for any of the subnets on the specified network.`,
      );
    return s;
  }

  /** Returns addresses to their subnets (idempotent). */
  async release(ips: readonly FixedIp[]): Promise<void> {
    for (const ip of ips) await this.store.releaseIp(ip.subnet_id, ip.ip_address);
  }
}
