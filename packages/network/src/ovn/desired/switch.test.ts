import { describe, expect, it } from "vitest";
import { aNetwork } from "./fixtures.js";
import { desiredLocalnetPort, desiredSwitch } from "./switch.js";

describe("desiredSwitch", () => {
  it("names a tenant network's switch neutron-<id> and records name, MTU, revision, AZ hints and type", () => {
    const net = aNetwork({ availability_zone_hints: ["az1", "az2"] });
    expect(desiredSwitch(net)).toEqual({
      name: "neutron-net-1",
      external_ids: {
        "neutron:network_name": "private",
        "neutron:mtu": "1442",
        "neutron:revision_number": "3",
        "neutron:availability_zone_hints": "az1,az2",
        "neutron:provnet-network-type": "geneve",
      },
      other_config: { mcast_snoop: "false", mcast_flood_unregistered: "false", "vlan-passthru": "false" },
    });
  });

  it.each([
    [
      "a VLAN provider network adds its physnet to external_ids and an FDB age threshold of 300",
      aNetwork({ "provider:network_type": "vlan", "provider:physical_network": "physnet1" }),
      {},
      { "neutron:provnet-physical-network": "physnet1" },
      { fdb_age_threshold: "300" },
    ],
    [
      "an external flat network also broadcasts ARPs to all routers",
      aNetwork({ "provider:network_type": "flat", "provider:physical_network": "extnet", "router:external": true }),
      {},
      { "neutron:provnet-physical-network": "extnet" },
      { fdb_age_threshold: "300", "broadcast-arps-to-all-routers": "true" },
    ],
    [
      "IGMP snooping and flood settings of the deployment reach other_config",
      aNetwork(),
      { igmpSnooping: true, igmpFloodUnregistered: true },
      {},
      { mcast_snoop: "true", mcast_flood_unregistered: "true" },
    ],
  ])("%s", (_name, net, options, extraIds, extraConfig) => {
    const ls = desiredSwitch(net, options);
    expect(ls.external_ids).toMatchObject(extraIds);
    expect(ls.other_config).toMatchObject(extraConfig);
  });

  it("writes no provider keys for an overlay network", () => {
    const ls = desiredSwitch(aNetwork());
    expect(ls.external_ids).not.toHaveProperty("neutron:provnet-physical-network");
    expect(ls.other_config).not.toHaveProperty("fdb_age_threshold");
    expect(ls.other_config).not.toHaveProperty("broadcast-arps-to-all-routers");
  });
});

describe("desiredLocalnetPort", () => {
  it.each([
    [
      "a VLAN network's localnet port is tagged with the segmentation id and bridged to its physnet",
      aNetwork({
        "provider:network_type": "vlan",
        "provider:physical_network": "physnet1",
        "provider:segmentation_id": 101,
      }),
      101,
      "physnet1",
    ],
    [
      "a flat network's localnet port is untagged",
      aNetwork({
        "provider:network_type": "flat",
        "provider:physical_network": "extnet",
        "provider:segmentation_id": null,
      }),
      null,
      "extnet",
    ],
  ])("%s", (_name, net, tag, physnet) => {
    expect(desiredLocalnetPort(net)).toEqual({
      name: "provnet-net-1",
      type: "localnet",
      addresses: ["unknown"],
      options: {
        network_name: physnet,
        mcast_flood_reports: "true",
        mcast_flood: "false",
        localnet_learn_fdb: "false",
      },
      tag_request: tag,
      external_ids: { "neutron:provnet-physical-network": physnet },
    });
  });

  it("names the localnet port after a segment id when the caller has one", () => {
    const net = aNetwork({ "provider:network_type": "flat", "provider:physical_network": "extnet" });
    expect(desiredLocalnetPort(net, {}, "seg-9")?.name).toBe("provnet-seg-9");
  });

  it("gives an overlay network no localnet port", () => {
    expect(desiredLocalnetPort(aNetwork())).toBeNull();
  });
});
