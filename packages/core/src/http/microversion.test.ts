import { describe, expect, it } from "vitest";
import { authed, testApp } from "./fixture.test.js";
import { Microversion } from "./microversion.js";

describe("microversion negotiation for Nova", () => {
  it.each([
    ["no header means the minimum", {}, 200, "2.1"],
    ["the standard header picks a version", { "openstack-api-version": "compute 2.53" }, 200, "2.53"],
    ["the header may carry several services", { "openstack-api-version": "volume 3.10, compute 2.60" }, 200, "2.60"],
    ["Nova's legacy header is honoured", { "x-openstack-nova-api-version": "2.40" }, 200, "2.40"],
    [
      "the standard header wins over the legacy one",
      { "openstack-api-version": "compute 2.70", "x-openstack-nova-api-version": "2.40" },
      200,
      "2.70",
    ],
    ["latest means the maximum", { "openstack-api-version": "compute latest" }, 200, "2.96"],
  ] as const)("%s", async (_name, headers, status, version) => {
    const res = await testApp("compute").inject({ method: "GET", url: "/whoami", headers: authed(headers) });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ project: "p1", version });
    expect(res.headers["openstack-api-version"]).toBe(`compute ${version}`);
    expect(res.headers["x-openstack-nova-api-version"]).toBe(version);
    expect(res.headers["vary"]).toBe("OpenStack-API-Version, X-OpenStack-Nova-API-Version");
  });

  it.each([
    [
      "a garbage version is a 400",
      "compute 2.x",
      400,
      {
        badRequest: {
          code: 400,
          message: "API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.",
        },
      },
    ],
    [
      "a leading zero is garbage too",
      "compute 2.01",
      400,
      {
        badRequest: {
          code: 400,
          message: "API Version String 2.01 is of invalid format. Must be of format MajorNum.MinorNum.",
        },
      },
    ],
    [
      "a version above the maximum is a 406 computeFault",
      "compute 2.200",
      406,
      {
        computeFault: {
          code: 406,
          message: "Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.96.",
        },
      },
    ],
    [
      "a version below the minimum is a 406 computeFault",
      "compute 1.9",
      406,
      {
        computeFault: {
          code: 406,
          message: "Version 1.9 is not supported by the API. Minimum is 2.1 and maximum is 2.96.",
        },
      },
    ],
    [
      "a route that starts at 2.53 is not found at 2.52",
      "compute 2.52",
      404,
      { itemNotFound: { code: 404, message: "The resource could not be found." } },
    ],
  ] as const)("%s", async (_name, header, status, body) => {
    const url = status === 404 ? "/gated" : "/whoami";
    const res = await testApp("compute").inject({
      method: "GET",
      url,
      headers: authed({ "openstack-api-version": header }),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual(body);
    expect(res.headers["x-openstack-request-id"]).toMatch(/^req-/);
    expect(res.headers["x-compute-request-id"]).toBe(res.headers["x-openstack-request-id"]);
  });

  it("serves the gated route from its first version on", async () => {
    const res = await testApp("compute").inject({
      method: "GET",
      url: "/gated",
      headers: authed({ "openstack-api-version": "compute 2.53" }),
    });
    expect(res.statusCode).toBe(200);
  });

  it("Cinder negotiates the volume service type and answers out-of-range in Nova's shape", async () => {
    const res = await testApp("block").inject({
      method: "GET",
      url: "/whoami",
      headers: authed({ "openstack-api-version": "volume 3.99" }),
    });
    expect(res.statusCode).toBe(406);
    expect(res.json()).toEqual({
      computeFault: {
        code: 406,
        message: "Version 3.99 is not supported by the API. Minimum is 3.0 and maximum is 3.71.",
      },
    });
    const ok = await testApp("block").inject({
      method: "GET",
      url: "/whoami",
      headers: authed({ "openstack-api-version": "volume 3.50" }),
    });
    expect(ok.headers["openstack-api-version"]).toBe("volume 3.50");
    expect(ok.headers["vary"]).toBe("OpenStack-API-Version");
  });
});

describe("Microversion values", () => {
  it.each([
    ["2.53 is at least 2.53", "2.53", "2.53", true],
    ["2.100 is newer than 2.99 (numeric, not lexical)", "2.100", "2.99", true],
    ["2.9 is older than 2.10", "2.9", "2.10", false],
    ["3.0 is newer than 2.96", "3.0", "2.96", true],
  ] as const)("%s", (_name, a, b, atLeast) => {
    expect(Microversion.of(a).atLeast(b)).toBe(atLeast);
  });

  it("refuses to parse what is not major.minor", () => {
    expect(["2", "2.", "latest", "02.1", "2.1.1", ""].map((s) => Microversion.parse(s))).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe("request ids", () => {
  it("ignores a caller's request id as ours but keeps a well-formed one as the global id", async () => {
    const theirs = "req-3dccb8c4-08fe-4706-a91d-e843b8fe9ed2";
    const app = testApp("network");
    app.get("/gid", { config: { public: true } }, async (request) => ({
      global: request.globalRequestId,
      ours: request.id,
    }));
    const res = await app.inject({ method: "GET", url: "/gid", headers: { "x-openstack-request-id": theirs } });
    const body = res.json() as { global: string; ours: string };
    expect(body.global).toBe(theirs);
    expect(res.headers["x-openstack-request-id"]).toBe(body.ours);
    expect(body.ours).not.toBe(theirs);
    const bad = await app.inject({ method: "GET", url: "/gid", headers: { "x-openstack-request-id": "evil\nid" } });
    expect((bad.json() as { global: string | null }).global).toBeNull();
  });

  it("gives Keystone's responses Vary: X-Auth-Token like Keystone does", async () => {
    const res = await testApp("identity").inject({ method: "GET", url: "/public" });
    expect(res.headers["vary"]).toBe("X-Auth-Token");
  });
});
