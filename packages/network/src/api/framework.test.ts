import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
beforeEach(async () => {
  t = await neutronTestApp();
});
afterEach(async () => t.app.close());

describe("Neutron API framework", () => {
  it("answers GET / with the v2.0 version document, without a token", async () => {
    const res = await t.call("GET", "/", undefined, null);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      versions: [{ id: "v2.0", status: "CURRENT", links: [{ rel: "self", href: "http://neutron:9696/v2.0/" }] }],
    });
  });

  it("lists the resource collections at /v2.0 and refuses it without a token", async () => {
    const res = await t.call("GET", "/v2.0");
    expect(res.status).toBe(200);
    expect(res.body.resources.map((r: { collection: string }) => r.collection)).toContain("networks");
    expect((await t.call("GET", "/v2.0", undefined, null)).status).toBe(401);
  });

  it("lists only the extensions it implements and 404s an unknown alias with Neutron's fault body", async () => {
    const list = await t.call("GET", "/v2.0/extensions");
    const aliases = list.body.extensions.map((e: { alias: string }) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(["router", "security-group", "binding", "standard-attr-tag"]));
    expect(aliases).not.toContain("multi-provider");
    expect((await t.call("GET", "/v2.0/extensions/router")).body.extension.alias).toBe("router");
    const missing = await t.call("GET", "/v2.0/extensions/multi-provider");
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError.message).toBe("Extension with alias multi-provider does not exist");
  });

  it.each([
    [{ network: { name: "a", colour: "red" } }, "Unrecognized attribute(s) 'colour'"],
    [{ network: { status: "DOWN" } }, "Attribute 'status' not allowed in POST"],
    [{ net: {} }, "Unable to find 'network' in request body"],
    [{ subnet: { ip_version: 4 } }, "Unable to find 'network' in request body"],
    [
      { network: { admin_state_up: "maybe" } },
      "Invalid input for admin_state_up. Reason: 'maybe' cannot be converted to boolean.",
    ],
  ])("refuses the body %j with 400 HTTPBadRequest: %s", async (body, message) => {
    const res = await t.call("POST", "/v2.0/networks", body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ NeutronError: { type: "HTTPBadRequest", message, detail: "" } });
  });

  it("refuses a PUT of a read-only attribute", async () => {
    const n = await t.make("networks", "network", { name: "a" });
    const res = await t.call("PUT", `/v2.0/networks/${n.id}`, { network: { status: "DOWN" } });
    expect(res.status).toBe(400);
    expect(res.body.NeutronError.message).toBe("Cannot update read-only attribute status");
  });

  it("refuses an unknown filter per filter-validation, and an unknown sort key", async () => {
    const res = await t.call("GET", "/v2.0/networks?colour=red");
    expect(res.status).toBe(400);
    expect(res.body.NeutronError).toMatchObject({
      type: "HTTPBadRequest",
      message: "colour is invalid attribute for filtering",
    });
  });

  it("filters by any attribute, repeated keys meaning OR, booleans in any case", async () => {
    for (const name of ["a", "b", "c"]) await t.make("networks", "network", { name, admin_state_up: name !== "c" });
    const names = async (q: string) =>
      (await t.call("GET", `/v2.0/networks?${q}`)).body.networks.map((n: { name: string }) => n.name).sort();
    expect(await names("name=a&name=c")).toEqual(["a", "c"]);
    expect(await names("admin_state_up=False")).toEqual(["c"]);
    expect(await names("name=a&admin_state_up=false")).toEqual([]);
  });

  it("projects fields, keeping nothing else, on lists and on show", async () => {
    const n = await t.make("networks", "network", { name: "a" });
    const list = await t.call("GET", "/v2.0/networks?fields=name&fields=mtu");
    expect(list.body.networks).toEqual([{ name: "a", mtu: 1442 }]);
    const one = await t.call("GET", `/v2.0/networks/${n.id}?fields=id`);
    expect(one.body).toEqual({ network: { id: n.id } });
  });

  it("sorts by sort_key/sort_dir pairs and pages with limit/marker and Neutron's next/previous links", async () => {
    for (const name of ["d", "b", "a", "c", "e"]) await t.make("networks", "network", { name });
    const names = (res: { body: { networks: { name: string }[] } }) => res.body.networks.map((n) => n.name);
    const href = (res: { body: { networks_links: { rel: string; href: string }[] } }, rel: string) =>
      res.body.networks_links.find((l) => l.rel === rel)?.href.replace("http://neutron:9696", "") ?? "";
    const first = await t.call("GET", "/v2.0/networks?sort_key=name&sort_dir=desc&limit=2");
    expect(names(first)).toEqual(["e", "d"]);
    // a full forward page links both ways, as api_common.get_pagination_links does
    expect(first.body.networks_links.map((l: { rel: string }) => l.rel)).toEqual(["next", "previous"]);
    expect(href(first, "next")).toBe(
      `/v2.0/networks?sort_key=name&sort_dir=desc&limit=2&marker=${first.body.networks[1].id}`,
    );
    expect(href(first, "previous")).toBe(
      `/v2.0/networks?sort_key=name&sort_dir=desc&limit=2&marker=${first.body.networks[0].id}&page_reverse=True`,
    );
    const second = await t.call("GET", href(first, "next"));
    expect(names(second)).toEqual(["c", "b"]);
    expect(names(await t.call("GET", href(second, "previous")))).toEqual(["e", "d"]);
    const last = await t.call("GET", href(second, "next"));
    expect(names(last)).toEqual(["a"]);
    expect(last.body.networks_links.map((l: { rel: string }) => l.rel)).toEqual(["previous"]);
    const unpaged = await t.call("GET", "/v2.0/networks?sort_key=name&sort_dir=asc");
    expect(names(unpaged)).toEqual(["a", "b", "c", "d", "e"]);
    expect(unpaged.body).not.toHaveProperty("networks_links");
  });

  it.each([
    ["sort_key=name", "The number of sort_keys and sort_dirs must be same"],
    ["sort_key=colour&sort_dir=asc", "['colour'] is invalid attribute for sort_keys"],
    ["sort_key=name&sort_dir=up", "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'"],
    ["limit=-1", "Bad limit request: Limit must be an integer 0 or greater and not '-1'."],
  ])("refuses the list query %s with 400: %s", async (q, message) => {
    const res = await t.call("GET", `/v2.0/networks?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.NeutronError.message).toBe(message);
  });

  it("answers 404 NetworkNotFound for a marker that names no network", async () => {
    const res = await t.call("GET", "/v2.0/networks?limit=1&marker=00000000-0000-0000-0000-000000000000");
    expect(res.status).toBe(404);
    expect(res.body.NeutronError.type).toBe("NetworkNotFound");
  });

  it("answers 405 for a known path with a wrong method", async () => {
    expect((await t.call("PATCH", "/v2.0/networks")).status).toBe(405);
  });
});
