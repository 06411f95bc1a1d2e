import { describe, expect, it } from "vitest";
import { createServiceApp } from "./app.js";
import { installShutdownHandlers } from "./lifecycle.js";
import { glanceNext, keystoneLinks, neutronPageLinks, novaPageLinks, pageRequest } from "./pagination.js";
import { registerVersionDiscovery, versionDocument } from "./versions.js";

const BASE = "http://cloud.test:8774";
const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s${i + 1}` }));
const markerOf = (s: { id: string }) => s.id;

describe("pagination", () => {
  it.each([
    ["no limit means the maximum", {}, { limit: 1000, marker: null, sortKeys: [], sortDirs: [] }],
    [
      "a limit above the maximum is capped",
      { limit: "5000" },
      { limit: 1000, marker: null, sortKeys: [], sortDirs: [] },
    ],
    [
      "sort keys get asc where no direction is given",
      { limit: "2", marker: "s2", sort_key: ["name", "id"], sort_dir: "desc" },
      { limit: 2, marker: "s2", sortKeys: ["name", "id"], sortDirs: ["desc", "asc"] },
    ],
  ] as const)("%s", (_name, query, expected) => {
    expect(pageRequest(query)).toEqual(expected);
  });

  it.each([["-1"], ["abc"], ["1.5"]])("a limit of %s is a bad_request", (limit) => {
    expect(() => pageRequest({ limit })).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  it("Nova links the next page of a full page, keeping the other query parameters", () => {
    const page = {
      items: ids(2),
      limit: 2,
      query: { limit: "2", status: "ACTIVE" },
      collectionUrl: `${BASE}/v2.1/servers`,
      markerOf,
    };
    expect(novaPageLinks("servers", page)).toEqual({
      servers_links: [{ rel: "next", href: `${BASE}/v2.1/servers?limit=2&status=ACTIVE&marker=s2` }],
    });
    expect(novaPageLinks("servers", { ...page, items: ids(1) })).toEqual({});
  });

  it("Neutron links next and, after a marker, previous with page_reverse", () => {
    const page = {
      items: ids(2),
      limit: 2,
      query: { limit: "2", marker: "s0" },
      collectionUrl: "http://n:9696/v2.0/networks",
      markerOf,
    };
    expect(neutronPageLinks("networks", page)).toEqual({
      networks_links: [
        { rel: "next", href: "http://n:9696/v2.0/networks?limit=2&marker=s2" },
        { rel: "previous", href: "http://n:9696/v2.0/networks?limit=2&marker=s1&page_reverse=True" },
      ],
    });
  });

  it("Keystone and Glance use their own link shapes", () => {
    expect(keystoneLinks("http://k:5000/v3/users")).toEqual({
      links: { self: "http://k:5000/v3/users", previous: null, next: null },
    });
    expect(glanceNext("/v2/images", { items: ids(3), limit: 3, query: { limit: "3" }, markerOf })).toEqual({
      next: "/v2/images?limit=3&marker=s3",
    });
  });
});

describe("version discovery", () => {
  it.each([
    [
      "identity",
      300,
      {
        versions: {
          values: [
            {
              id: "v3.14",
              status: "stable",
              updated: "2020-04-07T00:00:00Z",
              links: [{ rel: "self", href: `${BASE}/v3/` }],
              "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
            },
          ],
        },
      },
    ],
    [
      "compute",
      200,
      {
        versions: [
          {
            id: "v2.0",
            status: "DEPRECATED",
            version: "",
            min_version: "",
            updated: "2025-07-04T12:00:00Z",
            links: [{ rel: "self", href: `${BASE}/v2/` }],
          },
          {
            id: "v2.1",
            status: "CURRENT",
            version: "2.96",
            min_version: "2.1",
            updated: "2013-07-23T11:33:21Z",
            links: [{ rel: "self", href: `${BASE}/v2.1/` }],
          },
        ],
      },
    ],
    [
      "network",
      200,
      { versions: [{ id: "v2.0", status: "CURRENT", links: [{ rel: "self", href: `${BASE}/v2.0/` }] }] },
    ],
    [
      "orchestration",
      300,
      { versions: [{ id: "v1.0", status: "CURRENT", links: [{ rel: "self", href: `${BASE}/v1/` }] }] },
    ],
    [
      "placement",
      200,
      {
        versions: [
          {
            id: "v1.0",
            max_version: "2.96",
            min_version: "2.1",
            status: "CURRENT",
            links: [{ rel: "self", href: "" }],
          },
        ],
      },
    ],
  ] as const)("%s answers / with status %i and its own document", async (service, status, body) => {
    const doc = versionDocument(service, { publicUrl: `${BASE}/`, microversions: { min: "2.1", max: "2.96" } });
    expect(doc.status).toBe(status);
    expect(doc.body).toEqual(service === "placement" ? { versions: [{ ...body.versions[0], id: "v2.1" }] } : body);
  });

  it("serves the document publicly at / with Keystone's Location header", async () => {
    const app = createServiceApp({ service: "identity" });
    registerVersionDiscovery(app, "identity", { publicUrl: "http://k:5000" });
    const res = await app.inject({ method: "GET", url: "/" });
    expect([res.statusCode, res.headers["location"]]).toEqual([300, "http://k:5000/v3/"]);
  });
});

describe("healthcheck and shutdown", () => {
  it("answers oslo's healthcheck without a token: GET 200 OK, HEAD 204", async () => {
    const app = createServiceApp({ service: "network" });
    const get = await app.inject({ method: "GET", url: "/healthcheck" });
    expect([get.statusCode, get.body, get.headers["content-type"]]).toEqual([200, "OK", "text/plain; charset=UTF-8"]);
    expect((await app.inject({ method: "HEAD", url: "/healthcheck" })).statusCode).toBe(204);
  });

  it("lets an in-flight request finish when the app closes, then exits 0 on the signal", async () => {
    const app = createServiceApp({ service: "compute" });
    let release: () => void = () => {};
    app.get("/slow", { config: { public: true } }, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { done: true };
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const inflight = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise<number>((resolve) => {
      const uninstall = installShutdownHandlers([app], {
        signals: ["SIGUSR2"],
        exit: (code) => {
          uninstall();
          resolve(code);
        },
      });
    });
    process.emit("SIGUSR2", "SIGUSR2");
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await inflight).toEqual({ done: true });
    expect(await exited).toBe(0);
  });
});
