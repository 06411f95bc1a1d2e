/**
 * The contract every NeutronStore must pass (`runNeutronStoreContract(name, make)`): the memory
 * store runs it in unit tests; an SQL store will run the same suite.
 */
import { describe, expect, it } from "vitest";
import type { Network, Port } from "../domain/model.js";
import type { NeutronStore } from "./store.js";

const network = (n: number, overrides: Partial<Network> = {}): Network => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  revision_number: 0,
  tags: [],
  description: "",
  project_id: "p1",
  tenant_id: "p1",
  name: `net${n}`,
  admin_state_up: true,
  status: "ACTIVE",
  shared: false,
  "router:external": false,
  mtu: 1442,
  subnets: [],
  "provider:network_type": "geneve",
  "provider:physical_network": null,
  "provider:segmentation_id": n,
  port_security_enabled: true,
  availability_zone_hints: [],
  availability_zones: [],
  ipv4_address_scope: null,
  ipv6_address_scope: null,
  l2_adjacency: true,
  is_default: false,
  ...overrides,
});

const port = (n: number, networkId: string, overrides: Partial<Port> = {}): Port => ({
  id: `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  revision_number: 0,
  tags: [],
  description: "",
  project_id: "p1",
  tenant_id: "p1",
  name: "",
  network_id: networkId,
  mac_address: `fa:16:3e:00:00:${String(n).padStart(2, "0")}`,
  admin_state_up: true,
  status: "DOWN",
  device_id: "",
  device_owner: "",
  fixed_ips: [],
  allowed_address_pairs: [],
  extra_dhcp_opts: [],
  security_groups: [],
  port_security_enabled: true,
  "binding:host_id": "",
  "binding:vif_type": "unbound",
  "binding:vif_details": {},
  "binding:vnic_type": "normal",
  "binding:profile": {},
  dns_name: "",
  propagate_uplink_status: false,
  ...overrides,
});

export function runNeutronStoreContract(name: string, make: () => Promise<NeutronStore>): void {
  describe(`NeutronStore contract: ${name}`, () => {
    it("inserts, gets, updates and removes a record; a second insert of the id is a conflict", async () => {
      const store = await make();
      await store.insert("network", network(1));
      await expect(store.insert("network", network(1))).rejects.toMatchObject({ code: "conflict" });
      const updated = await store.update("network", network(1).id, (n) => ({ ...n, name: "x", revision_number: 1 }));
      expect(updated).toMatchObject({ name: "x", revision_number: 1 });
      expect(await store.getNetwork(network(1).id)).toMatchObject({ name: "x" });
      expect((await store.remove("network", network(1).id))?.name).toBe("x");
      expect(await store.remove("network", network(1).id)).toBeUndefined();
      expect(await store.get("network", network(1).id)).toBeUndefined();
    });

    it("writes nothing when an update's change throws, and updates a missing record with not_found", async () => {
      const store = await make();
      await store.insert("network", network(1));
      await expect(
        store.update("network", network(1).id, () => {
          throw new Error("no");
        }),
      ).rejects.toThrow("no");
      expect((await store.get("network", network(1).id))?.name).toBe("net1");
      await expect(store.update("network", network(2).id, (n) => n)).rejects.toMatchObject({ code: "not_found" });
    });

    it("hands out records that cannot change what is stored: mutating one throws or changes nothing", async () => {
      const store = await make();
      const inserted = network(1);
      await store.insert("network", inserted);
      inserted.subnets.push("after-insert");
      const got = await store.get("network", network(1).id);
      try {
        got?.subnets.push("s");
      } catch {
        // a frozen record refuses the change: as good as a copy
      }
      expect((await store.get("network", network(1).id))?.subnets).toEqual([]);
    });

    it("lists in creation order and filters on field equality (the NeutronView filters too)", async () => {
      const store = await make();
      await store.insert("network", network(2));
      await store.insert("network", network(1, { shared: true }));
      expect((await store.listNetworks()).map((n) => n.name)).toEqual(["net2", "net1"]);
      expect((await store.list("network", { shared: true })).map((n) => n.name)).toEqual(["net1"]);
      await store.insert("port", port(1, network(1).id, { device_owner: "network:dhcp" }));
      await store.insert("port", port(2, network(2).id));
      expect((await store.listPorts({ network_id: network(2).id })).map((p) => p.id)).toEqual([port(2, "").id]);
      expect(await store.listPorts({ device_owner: "network:dhcp", network_id: network(2).id })).toEqual([]);
    });

    it("renders a security group with its rules through the NeutronView", async () => {
      const store = await make();
      const stamp = {
        created_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-01T00:00:00Z",
        revision_number: 0,
        tags: [],
        description: "",
      };
      const owner = { project_id: "p1", tenant_id: "p1" };
      await store.insert("security_group", {
        ...stamp,
        ...owner,
        id: "sg1",
        name: "web",
        stateful: true,
        shared: false,
        security_group_rules: [],
      });
      await store.insert("security_group_rule", {
        ...stamp,
        ...owner,
        id: "r1",
        security_group_id: "sg1",
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "tcp",
        port_range_min: 22,
        port_range_max: 22,
        remote_ip_prefix: null,
        remote_group_id: null,
        remote_address_group_id: null,
        normalized_cidr: null,
        belongs_to_default_sg: false,
      });
      expect((await store.getSecurityGroup("sg1"))?.security_group_rules.map((r) => r.id)).toEqual(["r1"]);
      expect((await store.listSecurityGroups())[0]?.security_group_rules).toHaveLength(1);
      expect(await store.listSecurityGroupRules({ security_group_id: "sg2" })).toEqual([]);
    });

    it("allocates each subnet address once, lists allocations by subnet and port, and releases them", async () => {
      const store = await make();
      expect(await store.allocateIp({ subnet_id: "s1", ip_address: "10.0.0.2", port_id: "a" })).toBe(true);
      expect(await store.allocateIp({ subnet_id: "s1", ip_address: "10.0.0.2", port_id: "b" })).toBe(false);
      expect(await store.allocateIp({ subnet_id: "s2", ip_address: "10.0.0.2", port_id: "b" })).toBe(true);
      expect(await store.listAllocations({ subnet_id: "s1" })).toEqual([
        { subnet_id: "s1", ip_address: "10.0.0.2", port_id: "a" },
      ]);
      expect((await store.listAllocations({ port_id: "b" })).map((a) => a.subnet_id)).toEqual(["s2"]);
      await store.releaseIp("s1", "10.0.0.2");
      await store.releaseIp("s1", "10.0.0.2");
      expect(await store.allocateIp({ subnet_id: "s1", ip_address: "10.0.0.2", port_id: "b" })).toBe(true);
    });

    it("never gives one address to two concurrent allocations", async () => {
      const store = await make();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.allocateIp({ subnet_id: "s", ip_address: "10.0.0.9", port_id: `p${i}` }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("claims a segment key once until released", async () => {
      const store = await make();
      expect(await store.claimSegment("vlan:physnet1:100")).toBe(true);
      expect(await store.claimSegment("vlan:physnet1:100")).toBe(false);
      await store.releaseSegment("vlan:physnet1:100");
      expect(await store.claimSegment("vlan:physnet1:100")).toBe(true);
    });

    it("keeps quota overrides per project, merged on set and dropped on delete", async () => {
      const store = await make();
      expect(await store.getQuotas("p1")).toEqual({});
      await store.setQuotas("p1", { network: 5 });
      await store.setQuotas("p1", { port: 7 });
      expect(await store.getQuotas("p1")).toEqual({ network: 5, port: 7 });
      expect(await store.listQuotaProjects()).toEqual(["p1"]);
      await store.deleteQuotas("p1");
      expect(await store.getQuotas("p1")).toEqual({});
      expect(await store.listQuotaProjects()).toEqual([]);
    });
  });
}
