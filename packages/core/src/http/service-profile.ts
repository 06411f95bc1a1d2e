/**
 * What differs between the OpenStack services at the HTTP layer, as data: one profile per service.
 * Facts come from each service's own pipeline (api-paste.ini, wsgi.py, oslo.middleware).
 */
import { z } from "zod";

export const SERVICE_NAMES = [
  "identity",
  "compute",
  "network",
  "block",
  "image",
  "orchestration",
  "placement",
] as const;

export const ServiceNameSchema = z.enum(SERVICE_NAMES);
/** The OpenStack service a REST face speaks for (Keystone, Nova, Neutron, Cinder, Glance, Heat, Placement). */
export type ServiceName = z.infer<typeof ServiceNameSchema>;

/** oslo.middleware sizelimit's default `max_request_body_size`, used by Keystone, Nova, Neutron and Cinder. */
export const OSLO_MAX_REQUEST_BODY_SIZE = 114_688;

export interface ServiceProfile {
  /** The service this profile describes. */
  readonly service: ServiceName;
  /** Default request body limit in bytes (oslo sizelimit's 112 KiB or Fastify's 1 MiB). */
  readonly bodyLimit: number;
  /** Extra response headers carrying the request id besides `x-openstack-request-id` (Nova's `x-compute-request-id`; at most one is sent). */
  readonly compatRequestIdHeaders: readonly string[];
  /** Whether a known path with a wrong method answers 405 (Keystone, Neutron, Glance, Heat, Placement) or 404 (Nova, Cinder). */
  readonly methodNotAllowed: boolean;
  /** `Vary` values sent on every response (Keystone always varies on `X-Auth-Token`). */
  readonly vary: readonly string[];
}

const profile = (service: ServiceName, rest: Omit<ServiceProfile, "service">): ServiceProfile => ({ service, ...rest });

/** The profiles, keyed by service. */
export const SERVICE_PROFILES: Readonly<Record<ServiceName, ServiceProfile>> = {
  identity: profile("identity", {
    bodyLimit: OSLO_MAX_REQUEST_BODY_SIZE,
    compatRequestIdHeaders: [],
    methodNotAllowed: true,
    vary: ["X-Auth-Token"],
  }),
  compute: profile("compute", {
    bodyLimit: OSLO_MAX_REQUEST_BODY_SIZE,
    compatRequestIdHeaders: ["x-compute-request-id"],
    methodNotAllowed: false,
    vary: [],
  }),
  network: profile("network", {
    bodyLimit: OSLO_MAX_REQUEST_BODY_SIZE,
    compatRequestIdHeaders: [],
    methodNotAllowed: true,
    vary: [],
  }),
  block: profile("block", {
    bodyLimit: OSLO_MAX_REQUEST_BODY_SIZE,
    compatRequestIdHeaders: [],
    methodNotAllowed: false,
    vary: [],
  }),
  image: profile("image", { bodyLimit: 1_048_576, compatRequestIdHeaders: [], methodNotAllowed: true, vary: [] }),
  orchestration: profile("orchestration", {
    bodyLimit: 1_048_576, // Heat's max_json_body_size
    compatRequestIdHeaders: [],
    methodNotAllowed: true,
    vary: [],
  }),
  placement: profile("placement", {
    bodyLimit: 1_048_576,
    compatRequestIdHeaders: [],
    methodNotAllowed: true,
    vary: [],
  }),
};

/**
 * The microversion ranges the real services advertise today; a service package passes its own
 * `max` (the newest version it implements), these are only a reference.
 */
export const UPSTREAM_MICROVERSIONS = {
  compute: { service: "compute", min: "2.1", max: "2.104", legacyHeader: "X-OpenStack-Nova-API-Version" },
  block: { service: "volume", min: "3.0", max: "3.71" },
  placement: { service: "placement", min: "1.0", max: "1.39" },
} as const;
