/** `GET /v3`: Keystone's version document, which keystoneauth reads before authenticating. */
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { baseUrl } from "./links.js";

export function registerV3Discovery(app: ServiceApp): void {
  const handler = async (request: FastifyRequest) => ({
    version: {
      id: "v3.14",
      status: "stable",
      updated: "2020-04-07T00:00:00Z",
      links: [{ rel: "self", href: `${baseUrl(request)}/v3/` }],
      "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
    },
  });
  app.get("/v3", { config: { public: true } }, handler);
  app.get("/v3/", { config: { public: true } }, handler);
}
