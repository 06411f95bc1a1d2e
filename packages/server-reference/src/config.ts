/**
 * The reference server's configuration: defaults, then a config file (YAML or JSON), then
 * environment variables, then command-line flags, validated once by zod. This is the only place in
 * Stratus that reads files and the environment for configuration.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { LogLevelSchema, parseConfig } from "@stratus/core";
import { badRequest } from "@stratus/core/errors";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { SERVICE_NAMES, SERVICES, type ServiceName } from "./services.js";

const Port = z.number().int().min(0).max(65_535);

const ServiceListenerSchema = z.object({
  /** false: this process does not serve it (another process or a real OpenStack service does). */
  enabled: z.boolean().default(true),
  port: Port,
});

const servicesShape = Object.fromEntries(
  SERVICE_NAMES.map((name) => [
    name,
    ServiceListenerSchema.default({ enabled: true, port: SERVICES[name].defaultPort }),
  ]),
) as Record<ServiceName, z.ZodDefault<typeof ServiceListenerSchema>>;

export const ServerConfigSchema = z
  .object({
    /** Address every listener binds to. Loopback by default: exposing it is a deliberate choice. */
    bindHost: z.string().min(1).default("127.0.0.1"),
    /** Host name written into version documents and the catalog; defaults to bindHost. */
    publicHost: z.string().min(1).optional(),
    /** Where the embedded default keeps its SQLite files, Fernet keys and file-backed stores. */
    dataDir: z.string().min(1).default(join(homedir(), ".stratus")),
    logLevel: LogLevelSchema.default("info"),
    /** Largest request body every service accepts, in bytes; by default each service's own limit. */
    maxBodyBytes: z.number().int().positive().optional(),
    services: z.object(servicesShape).prefault({}),
    identity: z
      .object({
        /** The admin's password; without one the first start makes one and writes it to clouds.yaml. */
        adminPassword: z.string().min(1).optional(),
        /** bcrypt cost (Keystone's default 12; lower only for tests). */
        passwordHashRounds: z.number().int().min(4).max(31).default(12),
        tokenExpirationSeconds: z.number().int().positive().default(3600),
        /** PostgreSQL or MariaDB URL; the embedded default is SQLite in dataDir. */
        databaseUrl: z
          .string()
          .regex(/^(postgres|postgresql|mysql|mariadb):\/\//, "must be a postgres:// or mysql:// URL")
          .optional(),
      })
      .strict()
      .prefault({}),
    image: z
      .object({
        /** PostgreSQL or MariaDB URL for the image records; the embedded default is SQLite in dataDir. */
        databaseUrl: z
          .string()
          .regex(/^(postgres|postgresql|mysql|mariadb):\/\//, "must be a postgres:// or mysql:// URL")
          .optional(),
        /** Convert every imported image to this disk format (Glance's `[image_conversion] output_format`). */
        conversionFormat: z.enum(["raw", "qcow2"]).optional(),
        /** web-download filters (Glance's `import_filtering_opts`); an allowed host skips the address rules. */
        importAllowedHosts: z.array(z.string().min(1)).default([]),
        importTrustedHosts: z.array(z.string().min(1)).default([]),
        requireFormatMatch: z.boolean().default(true),
        importAllowedPorts: z.array(Port).default([80, 443]),
        importAllowedSchemes: z.array(z.enum(["http", "https"])).default(["http", "https"]),
        /** Let web-download reach private (RFC 1918, CGNAT, ULA) addresses; never loopback or link-local. */
        importAllowPrivateAddresses: z.boolean().default(false),
        /** Per-project quotas (Glance's image_count_total, user_storage_quota in bytes); unset: none. */
        quotaImages: z.number().int().min(0).optional(),
        quotaBytes: z.number().int().min(0).optional(),
        /** Per-image limits (Glance's image_member_quota, image_property_quota, image_tag_quota). */
        quotaMembers: z.number().int().min(0).default(128),
        quotaProperties: z.number().int().min(0).default(128),
        quotaTags: z.number().int().min(0).default(128),
        /** Where image data lives: the data dir (`file`) or a Ceph RBD pool (`rbd`). */
        store: z.enum(["file", "rbd"]).default("file"),
        /** RBD store: Glance's rbd_store_pool, rbd_store_ceph_conf, rbd_store_user, and a keyring path. */
        rbdPool: z.string().min(1).default("images"),
        rbdConf: z.string().min(1).default("/etc/ceph/ceph.conf"),
        rbdUser: z.string().min(1).optional(),
        rbdKeyring: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    network: z
      .object({
        /** PostgreSQL or MariaDB URL for Neutron's records; the embedded default is SQLite in dataDir. */
        databaseUrl: z
          .string()
          .regex(/^(postgres|postgresql|mysql|mariadb):\/\//, "must be a postgres:// or mysql:// URL")
          .optional(),
        /**
         * OVN_Northbound remotes (`tcp:…`, `ssl:…`, `unix:…`, comma-separated for a cluster). Unset: the
         * embedded default, Neutron's API with no backend (the in-memory driver).
         */
        ovnNbConnection: z.string().min(1).optional(),
        /** Physical networks flat and VLAN provider networks may name (ML2's flat_networks / network_vlan_ranges). */
        physicalNetworks: z.array(z.string().min(1)).default(["physnet1"]),
        /** VLAN ranges per physical network, ML2's `physnet:min:max` strings. */
        vlanRanges: z
          .array(z.string().regex(/^[^:]+:\d+:\d+$/, "must be physnet:min:max"))
          .default(["physnet1:100:199"]),
        /** Geneve VNI range `min:max` (ML2's vni_ranges). */
        geneveVniRange: z
          .string()
          .regex(/^\d+:\d+$/, "must be min:max")
          .default("1:65536"),
        /** MTU of overlay (geneve) networks; Neutron's 1500 minus the Geneve header. */
        overlayMtu: z.number().int().min(68).max(9216).default(1442),
        /** Seconds between periodic Neutron→OVN sync checks in repair mode (0: off). */
        syncIntervalSeconds: z.number().int().min(0).default(300),
      })
      .strict()
      .prefault({}),
    placement: z
      .object({
        /** PostgreSQL or MariaDB URL; the embedded default is SQLite in dataDir. */
        databaseUrl: z
          .string()
          .regex(/^(postgres|postgresql|mysql|mariadb):\/\//, "must be a postgres:// or mysql:// URL")
          .optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ServerConfig = z.output<typeof ServerConfigSchema>;

/** Where each input comes from; every field optional so callers can pass only what they have. */
export interface ConfigSources {
  /** Path of a YAML or JSON config file. */
  readonly file?: string | undefined;
  /** The environment (STRATUS_* variables are read). */
  readonly env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, already in the config's shape; they win over everything. */
  readonly overrides?: Record<string, unknown>;
}

/**
 * Builds the server config from its sources. Throws a `bad_request` StratusError naming the file
 * and every invalid field when the result does not validate, or when the file can't be read.
 */
export function loadServerConfig(sources: ConfigSources = {}): ServerConfig {
  const env = sources.env ?? {};
  const fromFile = sources.file ? readConfigFile(sources.file) : {};
  const merged = deepMerge(deepMerge(fromFile, configFromEnv(env)), sources.overrides ?? {});
  return parseConfig(ServerConfigSchema, merged, sources.file ? `configuration (${sources.file})` : "configuration");
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw badRequest(`Cannot read the configuration file ${path}.`, { cause });
  }
  let value: unknown;
  try {
    value = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw badRequest(`The configuration file ${path} is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}.`, {
      cause,
    });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(`The configuration file ${path} must hold a mapping at its top level.`);
  }
  return value as Record<string, unknown>;
}

/**
 * STRATUS_BIND_HOST, STRATUS_PUBLIC_HOST, STRATUS_DATA_DIR, STRATUS_LOG_LEVEL, STRATUS_<SERVICE>_PORT,
 * STRATUS_ADMIN_PASSWORD, STRATUS_BCRYPT_COST, STRATUS_IDENTITY_DB_URL, STRATUS_PLACEMENT_DB_URL, STRATUS_IMAGE_DB_URL,
 * STRATUS_IMAGE_CONVERSION_FORMAT, STRATUS_IMAGE_IMPORT_ALLOWED_HOSTS, _TRUSTED_HOSTS and _PORTS (comma-separated),
 * STRATUS_IMAGE_IMPORT_ALLOW_PRIVATE and STRATUS_IMAGE_REQUIRE_FORMAT_MATCH (true/false),
 * STRATUS_IMAGE_QUOTA_IMAGES, _BYTES, _MEMBERS, _PROPERTIES and _TAGS (integers),
 * STRATUS_IMAGE_STORE (file or rbd) and STRATUS_IMAGE_RBD_POOL, _CONF, _USER, _KEYRING,
 * STRATUS_NETWORK_DB_URL, STRATUS_NETWORK_OVN_NB (OVN_Northbound remotes), STRATUS_NETWORK_PHYSNETS and _VLAN_RANGES (comma-separated),
 * STRATUS_NETWORK_VNI_RANGE (min:max), STRATUS_NETWORK_SYNC_INTERVAL (seconds).
 */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== "") out[key] = value;
  };
  set("bindHost", env["STRATUS_BIND_HOST"]);
  set("publicHost", env["STRATUS_PUBLIC_HOST"]);
  set("dataDir", env["STRATUS_DATA_DIR"]);
  set("logLevel", env["STRATUS_LOG_LEVEL"]);
  const services: Record<string, unknown> = {};
  for (const name of SERVICE_NAMES) {
    const raw = env[`STRATUS_${name.toUpperCase()}_PORT`];
    if (raw !== undefined && raw !== "") services[name] = { port: Number(raw) };
  }
  if (Object.keys(services).length > 0) out["services"] = services;
  const identity: Record<string, unknown> = {};
  if (env["STRATUS_ADMIN_PASSWORD"]) identity["adminPassword"] = env["STRATUS_ADMIN_PASSWORD"];
  if (env["STRATUS_BCRYPT_COST"]) identity["passwordHashRounds"] = Number(env["STRATUS_BCRYPT_COST"]);
  if (env["STRATUS_IDENTITY_DB_URL"]) identity["databaseUrl"] = env["STRATUS_IDENTITY_DB_URL"];
  if (Object.keys(identity).length > 0) out["identity"] = identity;
  if (env["STRATUS_PLACEMENT_DB_URL"]) out["placement"] = { databaseUrl: env["STRATUS_PLACEMENT_DB_URL"] };
  const image: Record<string, unknown> = {};
  const list = (raw: string) =>
    raw
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
  if (env["STRATUS_IMAGE_DB_URL"]) image["databaseUrl"] = env["STRATUS_IMAGE_DB_URL"];
  if (env["STRATUS_IMAGE_CONVERSION_FORMAT"]) image["conversionFormat"] = env["STRATUS_IMAGE_CONVERSION_FORMAT"];
  if (env["STRATUS_IMAGE_IMPORT_ALLOWED_HOSTS"])
    image["importAllowedHosts"] = list(env["STRATUS_IMAGE_IMPORT_ALLOWED_HOSTS"]);
  if (env["STRATUS_IMAGE_REQUIRE_FORMAT_MATCH"])
    image["requireFormatMatch"] = env["STRATUS_IMAGE_REQUIRE_FORMAT_MATCH"] !== "false";
  if (env["STRATUS_IMAGE_IMPORT_TRUSTED_HOSTS"])
    image["importTrustedHosts"] = list(env["STRATUS_IMAGE_IMPORT_TRUSTED_HOSTS"]);
  if (env["STRATUS_IMAGE_IMPORT_ALLOWED_PORTS"])
    image["importAllowedPorts"] = list(env["STRATUS_IMAGE_IMPORT_ALLOWED_PORTS"]).map(Number);
  if (env["STRATUS_IMAGE_IMPORT_ALLOW_PRIVATE"])
    image["importAllowPrivateAddresses"] = env["STRATUS_IMAGE_IMPORT_ALLOW_PRIVATE"] === "true";
  if (env["STRATUS_IMAGE_STORE"]) image["store"] = env["STRATUS_IMAGE_STORE"];
  for (const [name, key] of [
    ["POOL", "rbdPool"],
    ["CONF", "rbdConf"],
    ["USER", "rbdUser"],
    ["KEYRING", "rbdKeyring"],
  ] as const) {
    const raw = env[`STRATUS_IMAGE_RBD_${name}`];
    if (raw) image[key] = raw;
  }
  for (const [name, key] of [
    ["IMAGES", "quotaImages"],
    ["BYTES", "quotaBytes"],
    ["MEMBERS", "quotaMembers"],
    ["PROPERTIES", "quotaProperties"],
    ["TAGS", "quotaTags"],
  ] as const) {
    const raw = env[`STRATUS_IMAGE_QUOTA_${name}`];
    if (raw) image[key] = Number(raw);
  }
  if (Object.keys(image).length > 0) out["image"] = image;
  const network: Record<string, unknown> = {};
  if (env["STRATUS_NETWORK_DB_URL"]) network["databaseUrl"] = env["STRATUS_NETWORK_DB_URL"];
  if (env["STRATUS_NETWORK_OVN_NB"]) network["ovnNbConnection"] = env["STRATUS_NETWORK_OVN_NB"];
  if (env["STRATUS_NETWORK_PHYSNETS"]) network["physicalNetworks"] = list(env["STRATUS_NETWORK_PHYSNETS"]);
  if (env["STRATUS_NETWORK_VLAN_RANGES"]) network["vlanRanges"] = list(env["STRATUS_NETWORK_VLAN_RANGES"]);
  if (env["STRATUS_NETWORK_VNI_RANGE"]) network["geneveVniRange"] = env["STRATUS_NETWORK_VNI_RANGE"];
  if (env["STRATUS_NETWORK_SYNC_INTERVAL"])
    network["syncIntervalSeconds"] = Number(env["STRATUS_NETWORK_SYNC_INTERVAL"]);
  if (Object.keys(network).length > 0) out["network"] = network;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}
