/**
 * @stratus/network: Neutron v2.0 in process on the embedded default (memory store, no backend):
 * a network and a subnet, two ports addressed by IPAM, a fixed IP that is already taken refused
 * with Neutron's 409, and a filtered, projected list.
 */
import { StaticAuthenticator } from "@stratus/core/http";
import { createNetworkApi } from "@stratus/network";

const { app } = createNetworkApi({
  authenticator: new StaticAuthenticator({ demo: { userId: "u1", projectId: "demo", roles: ["member", "reader"] } }),
  identityUri: "http://127.0.0.1:5000",
});
await app.ready();
const call = async (method: "GET" | "POST", url: string, body?: unknown) => {
  const res = await app.inject({
    method,
    url,
    headers: { "x-auth-token": "demo", ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};

const net = (await call("POST", "/v2.0/networks", { network: { name: "demo-net" } })).body.network;
const subnet = (
  await call("POST", "/v2.0/subnets", { subnet: { network_id: net.id, cidr: "10.20.0.0/24", ip_version: 4 } })
).body.subnet;
console.log(`network ${net.name}: mtu ${net.mtu} (provider attributes are shown to admins only)`);
console.log(`subnet ${subnet.cidr}: gateway ${subnet.gateway_ip}, pool ${JSON.stringify(subnet.allocation_pools)}`);

const a = (await call("POST", "/v2.0/ports", { port: { network_id: net.id, name: "vm-a" } })).body.port;
const b = (await call("POST", "/v2.0/ports", { port: { network_id: net.id, name: "vm-b" } })).body.port;
console.log(`ports: ${a.fixed_ips[0].ip_address} (${a.mac_address}), ${b.fixed_ips[0].ip_address} (${b.mac_address})`);

const taken = await call("POST", "/v2.0/ports", {
  port: { network_id: net.id, fixed_ips: [{ subnet_id: subnet.id, ip_address: a.fixed_ips[0].ip_address }] },
});
if (taken.status !== 409 || taken.body.NeutronError.type !== "IpAddressAlreadyAllocated")
  throw new Error("expected a 409");
console.log(`a taken address: ${taken.status} ${taken.body.NeutronError.type}`);

const list = (await call("GET", `/v2.0/ports?network_id=${net.id}&name=vm-b&fields=id&fields=name`)).body.ports;
if (list.length !== 1 || Object.keys(list[0]).sort().join() !== "id,name") throw new Error("filter/fields broken");
console.log(`filtered list with fields: ${JSON.stringify(list)}`);
await app.close();
console.log("ok");
