/**
 * `stratus bootstrap`, as `keystone-manage bootstrap` does it: the admin, member and reader roles
 * (admin implies member implies reader), an admin project and user holding admin on it and on the
 * system, a region, and the identity service with its three endpoints. Idempotent: run it on every
 * start; it creates what is missing and leaves the rest (an existing admin keeps its password
 * unless `resetPassword` is set).
 */
import type { Identity } from "./identity.js";

export interface BootstrapOptions {
  readonly adminUsername?: string;
  readonly adminPassword: string;
  readonly adminProjectName?: string;
  readonly domainId?: string;
  readonly regionId?: string;
  /** The identity endpoint URLs (with or without /v3). */
  readonly publicUrl: string;
  readonly internalUrl?: string;
  readonly adminUrl?: string;
  /** Set the admin's password even when the user exists. */
  readonly resetPassword?: boolean;
}

export interface BootstrapResult {
  readonly adminUserId: string;
  readonly adminProjectId: string;
  /** True when this run created the admin user (so it has exactly `adminPassword`). */
  readonly adminCreated: boolean;
  /** What this run created (empty when everything was already there). */
  readonly created: readonly string[];
}

export async function bootstrap(identity: Identity, options: BootstrapOptions): Promise<BootstrapResult> {
  const created: string[] = [];
  const domainId = options.domainId ?? "default";
  const { roles, resources, assignments, users, catalog } = identity;
  const notFound = (err: unknown) => (err as { code?: string }).code === "not_found";

  const role = async (name: string) => {
    const existing = (await roles.listRoles({ name, domainId: null }))[0];
    if (existing) return existing;
    created.push(`role ${name}`);
    return roles.createRole({ name });
  };
  const [admin, member, reader] = [await role("admin"), await role("member"), await role("reader")];
  const rules = await roles.listRoleInferenceRules();
  for (const [prior, implied] of [
    [admin, member],
    [member, reader],
  ] as const) {
    if (!rules.some((r) => r.priorRoleId === prior.id && r.impliedRoleId === implied.id)) {
      await roles.createImpliedRole(prior.id, implied.id);
      created.push(`implied role ${prior.name} > ${implied.name}`);
    }
  }

  const projectName = options.adminProjectName ?? "admin";
  let project = await resources
    .getProjectByName(projectName, domainId)
    .catch((e) => (notFound(e) ? undefined : Promise.reject(e)));
  if (!project) {
    project = await resources.createProject({
      name: projectName,
      domainId,
      description: "Bootstrap project for initializing the cloud.",
    });
    created.push(`project ${projectName}`);
  }

  const username = options.adminUsername ?? "admin";
  let user = await users.users
    .getByName(username, domainId)
    .catch((e) => (notFound(e) ? undefined : Promise.reject(e)));
  const adminCreated = user === undefined;
  if (!user) {
    user = await users.users.create({ name: username, domainId, password: options.adminPassword });
    created.push(`user ${username}`);
  } else if (options.resetPassword) {
    user = await users.users.update(user.id, { password: options.adminPassword, enabled: true });
  }

  for (const target of [{ projectId: project.id }, { system: "all" as const }]) {
    const grant = { roleId: admin.id, actor: { userId: user.id }, target };
    const has = await assignments.checkGrant(grant).then(
      () => true,
      (e) => (notFound(e) ? false : Promise.reject(e)),
    );
    if (!has) {
      await assignments.createGrant(grant);
      created.push(`grant admin to ${username} on ${"projectId" in target ? projectName : "system"}`);
    }
  }

  const regionId = options.regionId ?? "RegionOne";
  if (!(await catalog.getRegion(regionId).catch(() => undefined))) {
    await catalog.createRegion({ id: regionId });
    created.push(`region ${regionId}`);
  }
  const urls = {
    public: options.publicUrl,
    internal: options.internalUrl ?? options.publicUrl,
    admin: options.adminUrl ?? options.publicUrl,
  };
  // bootstrap keeps endpoints that exist (an operator may have moved them)
  const entry = await ensureCatalogEntry(identity, {
    type: "identity",
    name: "keystone",
    regionId,
    urls,
    updateUrls: false,
  });
  created.push(...entry.created);
  return { adminUserId: user.id, adminProjectId: project.id, adminCreated, created };
}

export interface CatalogEntryOptions {
  /** Catalog service type, e.g. "placement". */
  readonly type: string;
  /** Service name, e.g. "placement". */
  readonly name: string;
  /** Region of the endpoints (must exist; bootstrap makes RegionOne). */
  readonly regionId?: string;
  /** URL per interface. */
  readonly urls: Readonly<Partial<Record<"public" | "internal" | "admin", string>>>;
  /** Point existing endpoints at `urls` when they differ (a service that moved port). Default true. */
  readonly updateUrls?: boolean;
}

/**
 * Makes sure the catalog lists a service of `type` with an endpoint per interface in `urls`;
 * idempotent. Returns what it created or changed.
 */
export async function ensureCatalogEntry(
  identity: Identity,
  options: CatalogEntryOptions,
): Promise<{ readonly serviceId: string; readonly created: readonly string[] }> {
  const { catalog } = identity;
  const created: string[] = [];
  const regionId = options.regionId ?? "RegionOne";
  let service = (await catalog.listServices({ type: options.type }))[0];
  if (!service) {
    service = await catalog.createService({ type: options.type, name: options.name });
    created.push(`service ${options.name}`);
  }
  const endpoints = await catalog.listEndpoints({ serviceId: service.id });
  for (const [iface, url] of Object.entries(options.urls) as Array<["public" | "internal" | "admin", string]>) {
    const existing = endpoints.find((e) => e.interface === iface && e.region_id === regionId);
    if (existing === undefined) {
      await catalog.createEndpoint({ interface: iface, service_id: service.id, url, region_id: regionId });
      created.push(`${iface} endpoint ${url}`);
    } else if (existing.url !== url && (options.updateUrls ?? true)) {
      await catalog.updateEndpoint(existing.id, { url });
      created.push(`${iface} endpoint moved to ${url}`);
    }
  }
  return { serviceId: service.id, created };
}
