import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
beforeEach(async () => {
  t = await neutronTestApp();
});
afterEach(async () => t.app.close());

describe("quotas", () => {
  it("shows Neutron's defaults to a project, and refuses another project's quotas to a member (403)", async () => {
    const res = await t.call("GET", "/v2.0/quotas/p-member");
    expect(res.body.quota).toEqual({
      network: 100,
      subnet: 100,
      port: 500,
      router: 10,
      floatingip: 50,
      security_group: 10,
      security_group_rule: 100,
    });
    expect((await t.call("GET", "/v2.0/quotas/p-other")).status).toBe(403);
    expect((await t.call("GET", "/v2.0/quotas")).status).toBe(403);
  });

  it("enforces a lowered limit with 409 OverQuota, reports usage in details, and resets on delete", async () => {
    const put = await t.call("PUT", "/v2.0/quotas/p-member", { quota: { network: 2 } }, "admin");
    expect(put.body.quota.network).toBe(2);
    await t.make("networks", "network", {});
    await t.make("networks", "network", {});
    const over = await t.call("POST", "/v2.0/networks", { network: {} });
    expect(over.status).toBe(409);
    expect(over.body.NeutronError).toEqual({
      type: "OverQuota",
      message: "Quota exceeded for resources: ['network'].",
      detail: "",
    });
    const details = await t.call("GET", "/v2.0/quotas/p-member/details");
    expect(details.body.quota.network).toEqual({ limit: 2, used: 2, reserved: 0 });
    expect((await t.call("GET", "/v2.0/quotas", undefined, "admin")).body.quotas).toEqual([
      expect.objectContaining({ project_id: "p-member", network: 2 }),
    ]);
    expect((await t.call("DELETE", "/v2.0/quotas/p-member", undefined, "admin")).status).toBe(204);
    expect((await t.call("POST", "/v2.0/networks", { network: {} })).status).toBe(201);
  });

  it.each([
    [{ quota: { network: -5 } }, 400],
    [{ quota: { widgets: 5 } }, 400],
    [{ quota: { network: "many" } }, 400],
  ])("refuses the quota update %j with %i", async (body, status) => {
    expect((await t.call("PUT", "/v2.0/quotas/p-member", body, "admin")).status).toBe(status);
  });

  it("refuses quota updates from a member (403) and honours -1 as unlimited", async () => {
    expect((await t.call("PUT", "/v2.0/quotas/p-member", { quota: { router: 50 } })).status).toBe(403);
    await t.call("PUT", "/v2.0/quotas/p-member", { quota: { security_group: -1 } }, "admin");
    for (let i = 0; i < 11; i++) await t.make("security-groups", "security_group", { name: `g${i}` });
  });

  it("counts the default security group against the security_group quota", async () => {
    await t.call("PUT", "/v2.0/quotas/p-member", { quota: { security_group: 2 } }, "admin");
    await t.make("security-groups", "security_group", { name: "a" });
    const res = await t.call("POST", "/v2.0/security-groups", { security_group: { name: "b" } });
    expect(res.body.NeutronError.type).toBe("OverQuota");
  });
});

describe("tags", () => {
  it("replaces, adds, checks, removes one and clears tags, bumping the revision each time", async () => {
    const n = await t.make("networks", "network", {});
    const put = await t.call("PUT", `/v2.0/networks/${n.id}/tags`, { tags: ["red", "blue"] });
    expect(put.body).toEqual({ tags: ["red", "blue"] });
    expect((await t.call("PUT", `/v2.0/networks/${n.id}/tags/green`)).status).toBe(201);
    expect((await t.call("GET", `/v2.0/networks/${n.id}/tags`)).body.tags).toEqual(["red", "blue", "green"]);
    expect((await t.call("GET", `/v2.0/networks/${n.id}/tags/blue`)).status).toBe(204);
    const missing = await t.call("GET", `/v2.0/networks/${n.id}/tags/pink`);
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError.type).toBe("TagNotFound");
    expect((await t.call("DELETE", `/v2.0/networks/${n.id}/tags/red`)).status).toBe(204);
    expect((await t.call("DELETE", `/v2.0/networks/${n.id}/tags/red`)).status).toBe(404);
    const shown = (await t.call("GET", `/v2.0/networks/${n.id}`)).body.network;
    expect(shown).toMatchObject({ tags: ["blue", "green"], revision_number: 3 });
    expect((await t.call("DELETE", `/v2.0/networks/${n.id}/tags`)).status).toBe(204);
    expect((await t.call("GET", `/v2.0/networks/${n.id}/tags`)).body.tags).toEqual([]);
  });

  it("filters lists with tags (all), tags-any, not-tags and not-tags-any", async () => {
    const mk = async (name: string, tags: string[]) => {
      const n = await t.make("networks", "network", { name });
      await t.call("PUT", `/v2.0/networks/${n.id}/tags`, { tags });
    };
    await mk("ab", ["a", "b"]);
    await mk("a", ["a"]);
    await mk("c", ["c"]);
    const names = async (q: string) =>
      (await t.call("GET", `/v2.0/networks?${q}`)).body.networks.map((n: { name: string }) => n.name).sort();
    expect(await names("tags=a,b")).toEqual(["ab"]);
    expect(await names("tags-any=b,c")).toEqual(["ab", "c"]);
    expect(await names("not-tags=a,b")).toEqual(["a", "c"]);
    expect(await names("not-tags-any=b,c")).toEqual(["a"]);
  });

  it("tags ports, routers, subnets, security groups and floating IPs too, and hides others' resources (404)", async () => {
    const sg = await t.make("security-groups", "security_group", { name: "x" });
    expect((await t.call("PUT", `/v2.0/security-groups/${sg.id}/tags/web`)).status).toBe(201);
    expect(
      (await t.call("GET", `/v2.0/security-groups?tags=web`)).body.security_groups.map((g: { id: string }) => g.id),
    ).toEqual([sg.id]);
    const r = await t.make("routers", "router", {});
    expect((await t.call("PUT", `/v2.0/routers/${r.id}/tags`, { tags: ["edge"] })).status).toBe(200);
    expect((await t.call("PUT", `/v2.0/routers/${r.id}/tags/x`, undefined, "other")).status).toBe(404);
    expect((await t.call("PUT", `/v2.0/routers/${r.id}/tags`, { tags: ["x".repeat(61)] })).status).toBe(400);
    expect((await t.call("PUT", `/v2.0/routers/${r.id}/tags`, { tags: "edge" })).status).toBe(400);
  });
});

describe("quotas under concurrency", () => {
  it("lets exactly the limit of 20 concurrent network creates through", async () => {
    await t.call("PUT", "/v2.0/quotas/p-member", { quota: { network: 5, port: 3 } }, "admin");
    const res = await Promise.all(Array.from({ length: 20 }, () => t.call("POST", "/v2.0/networks", { network: {} })));
    expect(res.filter((r) => r.status === 201)).toHaveLength(5);
    expect(res.filter((r) => r.status === 409)).toHaveLength(15);
    const nets = res.filter((r) => r.status === 201).map((r) => r.body.network.id);
    const ports = await Promise.all(
      nets.flatMap((id) => [1, 2].map(() => t.call("POST", "/v2.0/ports", { port: { network_id: id } }))),
    );
    expect(ports.filter((r) => r.status === 201)).toHaveLength(3);
  });
});
