import { describe, expect, it } from "vitest";
import { authed, IDENTITY_URI, SECRET, testApp } from "./fixture.test.js";
import type { ServiceName } from "./service-profile.js";

const REQ_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOO_BIG = JSON.stringify({ thing: { name: "x".repeat(2000), size: 1 } });
const KS_400 =
  " The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.";

interface Case {
  readonly name: string;
  readonly service: ServiceName;
  readonly method?: "GET" | "POST" | "PUT" | "DELETE";
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly payload?: string;
  readonly status: number;
  readonly body: unknown;
}

const json = { "content-type": "application/json" };
const post = (service: ServiceName, payload: string, extra: Record<string, string> = {}) =>
  ({ service, method: "POST", url: "/things", headers: { ...json, ...extra }, payload }) as const;

const cases: Case[] = [
  // Keystone
  {
    name: "Keystone answers malformed JSON with its ValidationError wording",
    ...post("identity", "{nope"),
    status: 400,
    body: {
      error: { code: 400, title: "Bad Request", message: `Expecting to find valid JSON in request body.${KS_400}` },
    },
  },
  {
    name: "an empty JSON body is no body (Tempest's role grants): the route's validation answers",
    ...post("identity", ""),
    status: 400,
    body: { error: { code: 400, title: "Bad Request", message: "None is not of type 'object'" } },
  },
  {
    name: "Keystone names the field path of a value of the wrong type",
    ...post("identity", '{"thing":{"name":1,"size":1}}'),
    status: 400,
    body: {
      error: {
        code: 400,
        title: "Bad Request",
        message: "Invalid input for field 'thing/name': 1 is not of type 'string'",
      },
    },
  },
  {
    name: "Keystone names a missing required property and where it was expected",
    ...post("identity", '{"thing":{"size":1}}'),
    status: 400,
    body: {
      error: {
        code: 400,
        title: "Bad Request",
        message: "Invalid input for field 'thing': 'name' is a required property",
      },
    },
  },
  {
    name: "Keystone rejects a body over the limit with 413 and oslo sizelimit's message",
    ...post("identity", TOO_BIG),
    status: 413,
    body: {
      error: {
        code: 413,
        title: "Request Entity Too Large",
        message: "Request is too large. Larger than max_request_body_size (1024).",
      },
    },
  },
  {
    name: "Keystone answers a non-JSON content type with 400, as its JSON body check does",
    ...post("identity", "x", { "content-type": "text/csv" }),
    status: 400,
    body: {
      error: {
        code: 400,
        title: "Bad Request",
        message: `Expecting to find application/json in Content-Type header - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
      },
    },
  },
  {
    name: "Keystone answers an unknown route with 404",
    service: "identity",
    url: "/nothing/here",
    status: 404,
    body: { error: { code: 404, title: "Not Found", message: "The resource could not be found." } },
  },
  {
    name: "Keystone answers a known path with the wrong method with 405",
    service: "identity",
    method: "DELETE",
    url: "/things",
    status: 405,
    body: {
      error: {
        code: 405,
        title: "Method Not Allowed",
        message: "The method specified is not allowed for this resource.",
      },
    },
  },
  // Nova
  {
    name: "Nova answers malformed JSON with badRequest 'Malformed request body'",
    ...post("compute", "{nope"),
    status: 400,
    body: { badRequest: { code: 400, message: "Malformed request body" } },
  },
  {
    name: "Nova names the attribute and value of a wrong type in WSME style",
    ...post("compute", '{"thing":{"name":1,"size":1}}'),
    status: 400,
    body: {
      badRequest: { code: 400, message: "Invalid input for field/attribute name. Value: 1. 1 is not of type 'string'" },
    },
  },
  {
    name: "Nova prints the enclosing object when a required property is missing",
    ...post("compute", '{"thing":{"size":1}}'),
    status: 400,
    body: {
      badRequest: {
        code: 400,
        message: "Invalid input for field/attribute thing. Value: {'size': 1}. 'name' is a required property",
      },
    },
  },
  {
    name: "Nova reports a missing top-level property with jsonschema's bare message",
    ...post("compute", "{}"),
    status: 400,
    body: { badRequest: { code: 400, message: "'thing' is a required property" } },
  },
  {
    name: "Nova rejects a body over the limit with overLimit 413",
    ...post("compute", TOO_BIG),
    status: 413,
    body: { overLimit: { code: 413, message: "Request is too large. Larger than max_request_body_size (1024)." } },
  },
  {
    name: "Nova answers an unsupported content type with badMediaType 415",
    ...post("compute", "x", { "content-type": "text/csv" }),
    status: 415,
    body: { badMediaType: { code: 415, message: "Unsupported Content-Type" } },
  },
  {
    name: "Nova answers an unknown route with itemNotFound",
    service: "compute",
    url: "/nothing",
    status: 404,
    body: { itemNotFound: { code: 404, message: "The resource could not be found." } },
  },
  {
    name: "Nova answers a wrong method with 404, not 405, as its router does",
    service: "compute",
    method: "DELETE",
    url: "/things",
    status: 404,
    body: { itemNotFound: { code: 404, message: "The resource could not be found." } },
  },
  {
    name: "Nova names a bad query parameter in its query wording",
    service: "compute",
    url: "/things?limit=abc",
    status: 400,
    body: {
      badRequest: {
        code: 400,
        message: "Invalid input for query parameters limit. Value: 'abc'. 'abc' is not of type 'number'",
      },
    },
  },
  // Neutron
  {
    name: "Neutron answers malformed JSON as an HTTPBadRequest NeutronError",
    ...post("network", "{nope"),
    status: 400,
    body: { NeutronError: { type: "HTTPBadRequest", message: "Malformed request body", detail: "" } },
  },
  {
    name: "Neutron words a wrong type as invalid input with a reason",
    ...post("network", '{"thing":{"name":1,"size":1}}'),
    status: 400,
    body: {
      NeutronError: {
        type: "HTTPBadRequest",
        message: "Invalid input for name. Reason: 1 is not of type 'string'.",
        detail: "",
      },
    },
  },
  {
    name: "Neutron words a missing attribute as a parse failure",
    ...post("network", '{"thing":{"size":1}}'),
    status: 400,
    body: {
      NeutronError: {
        type: "HTTPBadRequest",
        message: "Failed to parse request. Required attribute 'name' not specified",
        detail: "",
      },
    },
  },
  {
    name: "Neutron rejects a body over the limit with 413",
    ...post("network", TOO_BIG),
    status: 413,
    body: {
      NeutronError: {
        type: "HTTPRequestEntityTooLarge",
        message: "Request is too large. Larger than max_request_body_size (1024).",
        detail: "",
      },
    },
  },
  {
    name: "Neutron answers an unknown route with an HTTPNotFound NeutronError",
    service: "network",
    url: "/nothing",
    status: 404,
    body: { NeutronError: { type: "HTTPNotFound", message: "The resource could not be found.", detail: "" } },
  },
  {
    name: "Neutron answers a wrong method with 405",
    service: "network",
    method: "PUT",
    url: "/things",
    status: 405,
    body: {
      NeutronError: {
        type: "HTTPMethodNotAllowed",
        message: "The method specified is not allowed for this resource.",
        detail: "",
      },
    },
  },
  // Heat and Glance
  {
    name: "Heat answers a body over its JSON limit with 400, as RequestLimitExceeded maps",
    ...post("orchestration", TOO_BIG),
    status: 400,
    body: {
      code: 400,
      title: "Bad Request",
      explanation:
        "The server could not comply with the request since\r\nit is either malformed or otherwise incorrect.\r\n",
      error: {
        message: "Request limit exceeded: JSON body size exceeds maximum allowed size (1024 bytes).",
        type: "HTTPBadRequest",
        traceback: null,
      },
    },
  },
  {
    name: "Glance renders webob's JSON error with the status line as code",
    service: "image",
    url: "/nothing",
    status: 404,
    body: { message: "The resource could not be found.<br /><br />\n\n\n", code: "404 Not Found", title: "Not Found" },
  },
  {
    name: "Glance puts a 416's message as webob's detail under webob's explanation",
    service: "image",
    url: "/errors/range_not_satisfiable",
    status: 416,
    body: {
      message: "The Range requested is not available.<br /><br />\nIt went range_not_satisfiable.\n\n",
      code: "416 Request Range Not Satisfiable",
      title: "Request Range Not Satisfiable",
    },
  },
];

describe("faults rendered in each service's own format", () => {
  it.each(cases)("$name", async (c) => {
    const res = await testApp(c.service).inject({
      method: c.method ?? "GET",
      url: c.url,
      headers: authed(c.headers),
      ...(c.payload === undefined ? {} : { payload: c.payload }),
    });
    expect(res.statusCode).toBe(c.status);
    expect(res.json()).toEqual(c.body);
    expect(res.headers["x-openstack-request-id"]).toMatch(REQ_ID);
  });
});

describe("placement faults", () => {
  it.each([
    [
      "an unknown route gets webob's bare 404 detail and the request id",
      "/nothing",
      {},
      404,
      { status: 404, title: "Not Found", detail: "The resource could not be found.\n\n   " },
    ],
    [
      "from microversion 1.23 the error carries placement.undefined_code",
      "/nothing",
      { "openstack-api-version": "placement 1.23" },
      404,
      {
        status: 404,
        title: "Not Found",
        detail: "The resource could not be found.\n\n   ",
        code: "placement.undefined_code",
      },
    ],
    [
      "an out-of-range version gets 406 with the supported range",
      "/things",
      { "openstack-api-version": "placement 1.99" },
      406,
      {
        status: 406,
        title: "Not Acceptable",
        max_version: "1.39",
        min_version: "1.0",
        detail:
          "The resource could not be generated that was acceptable to your browser (content of type application/json. \n\n Unacceptable version header: 1.99",
      },
    ],
    [
      "a garbage version gets 400 with webob's stripped explanation",
      "/things",
      { "openstack-api-version": "placement pony.horse" },
      400,
      {
        status: 400,
        title: "Bad Request",
        detail:
          "The server could not comply with the request since it is either malformed or otherwise incorrect. \n\n invalid version string: pony.horse  ",
      },
    ],
    ["a wrong method gets 405 naming the method", "/errors/conflict", {}, 405, null],
  ] as const)("%s", async (_name, url, headers, status, error) => {
    const res = await testApp("placement").inject({
      method: status === 405 ? "PUT" : "GET",
      url,
      headers: authed(headers),
    });
    expect(res.statusCode).toBe(status);
    const body = res.json() as { errors: Array<Record<string, unknown>> };
    const requestId = res.headers["x-openstack-request-id"];
    expect(requestId).toMatch(REQ_ID);
    if (error === null) {
      expect(body.errors[0]?.["detail"]).toBe(
        "The method PUT is not allowed for this resource. \n\n The method specified is not allowed for this resource.",
      );
      expect(res.headers["allow"]).toBe("GET, HEAD");
    } else {
      expect(body).toEqual({ errors: [{ ...error, request_id: requestId }] });
    }
  });
});

describe("unexpected errors", () => {
  it.each([
    [
      "identity",
      {
        error: {
          code: 500,
          title: "Internal Server Error",
          message: "An unexpected error prevented the server from fulfilling your request.",
        },
      },
    ],
    [
      "compute",
      {
        computeFault: {
          code: 500,
          message: "Unexpected API Error. Please report this to the cloud operator with the request id.",
        },
      },
    ],
    [
      "network",
      {
        NeutronError: {
          type: "HTTPInternalServerError",
          message: "Request Failed: internal server error while processing your request.",
          detail: "",
        },
      },
    ],
  ] as const)("a crash in a %s handler is a generic 500 that leaks nothing", async (service, body) => {
    const res = await testApp(service).inject({ method: "GET", url: "/boom", headers: authed() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual(body);
    expect(res.body).not.toContain("hunter2");
    expect(res.body).not.toContain(SECRET);
  });
});

describe("token rejection", () => {
  it.each(["identity", "compute", "network", "placement"] as const)(
    "%s answers a missing or wrong token with keystonemiddleware's 401 and WWW-Authenticate",
    async (service) => {
      for (const headers of [{}, { "x-auth-token": "wrong" }]) {
        const res = await testApp(service).inject({ method: "GET", url: "/whoami", headers });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({
          error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." },
        });
        expect(res.headers["www-authenticate"]).toBe(`Keystone uri="${IDENTITY_URI}"`);
        expect(res.headers["x-openstack-request-id"]).toMatch(REQ_ID);
      }
    },
  );

  it("gives a protected handler the caller's context", async () => {
    const res = await testApp("network").inject({ method: "GET", url: "/whoami", headers: authed() });
    expect(res.json()).toEqual({ project: "p1", version: null });
  });
});
