/**
 * Version discovery documents at `/`, in each service's real shape and status: keystoneauth and
 * openstacksdk read these to choose an endpoint version and the microversion range.
 */
import type { FastifyInstance } from "fastify";
import type { ServiceName } from "./service-profile.js";
import { UPSTREAM_MICROVERSIONS } from "./service-profile.js";
import { SUCCESS_STATUS } from "./status-table.js";

export interface VersionDocumentOptions {
  /** The service's public base URL without a version (`http://controller:8774`). */
  readonly publicUrl: string;
  /** The supported microversion range (compute, block, placement); defaults to upstream's. */
  readonly microversions?: { readonly min: string; readonly max: string };
}

/** A version document: the status the service answers `/` with, its body and extra headers. */
export interface VersionDocument {
  /** 200, or 300 Multiple Choices where the service sends that (Keystone, Cinder, Glance, Heat). */
  readonly status: number;
  /** The JSON body. */
  readonly body: Record<string, unknown>;
  /** Extra headers (Keystone's `Location` of the preferred version). */
  readonly headers: Readonly<Record<string, string>>;
}

type Link = { rel: string; href: string; type?: string };
const self = (href: string): Link => ({ rel: "self", href });
const DOCS: Link = { rel: "describedby", type: "text/html", href: "https://docs.openstack.org/" };

/** The root document of `service`. Pure. */
export function versionDocument(service: ServiceName, options: VersionDocumentOptions): VersionDocument {
  const base = options.publicUrl.replace(/\/+$/, "");
  const range = (fallback: { min: string; max: string }) => options.microversions ?? fallback;
  switch (service) {
    case "identity": {
      const v3 = `${base}/v3/`;
      const value = {
        id: "v3.14",
        status: "stable",
        updated: "2020-04-07T00:00:00Z",
        links: [self(v3)],
        "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
      };
      return {
        status: SUCCESS_STATUS.multipleChoices,
        body: { versions: { values: [value] } },
        headers: { location: v3 },
      };
    }
    case "compute": {
      const { min, max } = range(UPSTREAM_MICROVERSIONS.compute);
      const versions = [
        {
          id: "v2.0",
          status: "DEPRECATED",
          version: "",
          min_version: "",
          updated: "2025-07-04T12:00:00Z",
          links: [self(`${base}/v2/`)],
        },
        {
          id: "v2.1",
          status: "CURRENT",
          version: max,
          min_version: min,
          updated: "2013-07-23T11:33:21Z",
          links: [self(`${base}/v2.1/`)],
        },
      ];
      return { status: SUCCESS_STATUS.ok, body: { versions }, headers: {} };
    }
    case "network":
      return {
        status: SUCCESS_STATUS.ok,
        body: { versions: [{ id: "v2.0", status: "CURRENT", links: [self(`${base}/v2.0/`)] }] },
        headers: {},
      };
    case "block": {
      const { min, max } = range(UPSTREAM_MICROVERSIONS.block);
      const v3 = {
        id: "v3.0",
        status: "CURRENT",
        version: max,
        min_version: min,
        updated: "2023-08-31T00:00:00Z",
        links: [DOCS, self(`${base}/v3/`)],
        "media-types": [{ base: "application/json", type: "application/vnd.openstack.volume+json;version=3" }],
      };
      return { status: SUCCESS_STATUS.multipleChoices, body: { versions: [v3] }, headers: {} };
    }
    case "image": {
      // Glance's list with enabled_backends set (we serve /v2/info/stores and the 2.12 image
      // tasks) and image_cache_dir unset, in Glance's own order.
      const ids: Array<[string, string]> = [["2.15", "SUPPORTED"]];
      for (let minor = 13; minor >= 8; minor--) ids.push([`2.${minor}`, "SUPPORTED"]);
      ids.push(["2.17", "CURRENT"]);
      for (let minor = 7; minor >= 0; minor--) ids.push([`2.${minor}`, "SUPPORTED"]);
      const versions = ids.map(([id, status]) => ({ id: `v${id}`, status, links: [self(`${base}/v2/`)] }));
      return { status: SUCCESS_STATUS.multipleChoices, body: { versions }, headers: {} };
    }
    case "orchestration":
      return {
        status: SUCCESS_STATUS.multipleChoices,
        body: { versions: [{ id: "v1.0", status: "CURRENT", links: [self(`${base}/v1/`)] }] },
        headers: {},
      };
    case "placement": {
      const { min, max } = range(UPSTREAM_MICROVERSIONS.placement);
      // Placement's self link is deliberately relative and empty.
      const v1 = { id: `v${min}`, max_version: max, min_version: min, status: "CURRENT", links: [self("")] };
      return { status: SUCCESS_STATUS.ok, body: { versions: [v1] }, headers: {} };
    }
  }
}

/** Serves `versionDocument(service, options)` at `GET /`, public (Placement's is microversioned, as upstream). */
export function registerVersionDiscovery(
  app: FastifyInstance,
  service: ServiceName,
  options: VersionDocumentOptions,
): void {
  const doc = versionDocument(service, options);
  const body = JSON.stringify(doc.body);
  app.get("/", { config: { public: true, unversioned: service !== "placement" } }, (_request, reply) =>
    reply.code(doc.status).headers(doc.headers).type("application/json").send(body),
  );
}
