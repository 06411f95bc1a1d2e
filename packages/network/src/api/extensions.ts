/**
 * `/v2.0/extensions`: only the Neutron extension aliases this API really implements, and the
 * `/v2.0` resource index.
 */
import { type ServiceApp, versionDocument } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { neutronError } from "../domain/faults.js";
import { type ApiSettings, baseUrl } from "./resource-routes.js";

interface Extension {
  readonly alias: string;
  readonly name: string;
  readonly description: string;
  readonly updated: string;
}

const ext = (alias: string, name: string, description: string, updated = "2017-01-01T10:00:00-00:00"): Extension => ({
  alias,
  name,
  description,
  updated,
});

/** The extensions served, each backed by code and tests in this package. */
export const EXTENSIONS: readonly Extension[] = [
  ext("standard-attr-description", "standard-attr-description", "Extension to add descriptions to standard attributes"),
  ext(
    "standard-attr-revisions",
    "Resource revision numbers",
    "This extension will display the revision number of neutron resources.",
  ),
  ext(
    "standard-attr-timestamp",
    "Resource timestamps",
    "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.",
  ),
  ext(
    "standard-attr-tag",
    "Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip",
    "Enables to set tag on resources with standard attribute.",
  ),
  ext("net-mtu", "Network MTU", "Provides MTU attribute for a network resource."),
  ext("net-mtu-writable", "Network MTU (writable)", "Provides a writable MTU attribute for a network resource."),
  ext("provider", "Provider Network", "Expose mapping of virtual networks to physical networks"),
  ext("external-net", "Neutron external network", "Adds external network attribute to network resource."),
  ext(
    "router",
    "Neutron L3 Router",
    "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.",
  ),
  ext("extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"),
  ext(
    "ext-gw-mode",
    "Neutron L3 Configurable external gateway mode",
    "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway",
  ),
  ext("security-group", "security-group", "The security groups extension."),
  ext("port-security", "Port Security", "Provides port security"),
  ext("binding", "Port Binding", "Expose port bindings of a virtual port to external application"),
  ext("allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"),
  ext("quotas", "Quota management support", "Expose functions for quotas management per project"),
  ext("quota_details", "Quota details management support", "Expose functions for quotas usage statistics per project"),
  ext("sorting", "Sorting support", "Enabling sorting feature of resources"),
  ext("pagination", "Pagination support", "Enabling pagination feature of resources"),
  ext("filter-validation", "Filter parameters validation", "Provides validation on filter parameters."),
  ext("project-id", "project_id field enabled", "Extension that indicates that project_id field is enabled."),
];

const RESOURCES = [
  ["network", "networks"],
  ["subnet", "subnets"],
  ["port", "ports"],
  ["router", "routers"],
  ["floatingip", "floatingips"],
  ["security_group", "security-groups"],
  ["security_group_rule", "security-group-rules"],
  ["quota", "quotas"],
] as const;

const render = (e: Extension) => ({ ...e, links: [] });

export function registerExtensionRoutes(app: ServiceApp, settings: ApiSettings): void {
  // Neutron answers with the host the request named, so the document is built per request.
  app.get("/", { config: { public: true, unversioned: true } }, async (request) => {
    return versionDocument("network", { publicUrl: baseUrl(request, settings) }).body;
  });
  const index = async (request: FastifyRequest) => {
    const base = baseUrl(request, settings);
    return {
      resources: RESOURCES.map(([name, collection]) => ({
        name,
        collection,
        links: [{ href: `${base}/v2.0/${collection}`, rel: "self" }],
      })),
    };
  };
  app.get("/v2.0", index);
  app.get("/v2.0/", index);
  app.get("/v2.0/extensions", async () => ({ extensions: EXTENSIONS.map(render) }));
  app.get("/v2.0/extensions/:alias", async (request) => {
    const { alias } = request.params as { alias: string };
    const found = EXTENSIONS.find((e) => e.alias === alias);
    if (found === undefined)
      throw neutronError("not_found", "HTTPNotFound", `Extension with alias ${alias} does not exist`);
    return { extension: render(found) };
  });
}
