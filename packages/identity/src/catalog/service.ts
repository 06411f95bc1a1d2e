/**
 * The catalog's rules, as Keystone's catalog manager applies them, and the per-token catalog.
 * The catalog a token carries is built from an in-memory snapshot that is rebuilt only after a
 * write, so issuing and validating tokens never query the catalog tables.
 */
import { newHexId } from "@stratus/core";
import { badRequest, conflict, forbidden, notFound } from "@stratus/core/errors";
import { formatEndpointUrl, isValidEndpointUrl } from "./format-url.js";
import type { CatalogRepository } from "./repository.js";
import type { CatalogEntry, Endpoint, EndpointInterface, Extra, Region, Service } from "./types.js";

export interface RegionInput {
  readonly id?: string | undefined;
  readonly description?: string | null | undefined;
  readonly parent_region_id?: string | null | undefined;
  readonly extra?: Extra;
}
export interface ServiceInput {
  readonly type?: string | undefined;
  readonly name?: string | undefined;
  readonly enabled?: boolean | undefined;
  readonly extra?: Extra;
}
export interface EndpointInput {
  readonly interface?: EndpointInterface | undefined;
  readonly service_id?: string | undefined;
  readonly url?: string | undefined;
  readonly region_id?: string | null | undefined;
  /** Keystone's legacy name for region_id: a region named this way is created if missing. */
  readonly region?: string | undefined;
  readonly enabled?: boolean | undefined;
  readonly extra?: Extra;
}

const missing = (kind: string, id: string) => notFound(`Could not find ${kind}: ${id}.`);
function found<T>(value: T | undefined, kind: string, id: string): T {
  if (value === undefined) throw missing(kind, id);
  return value;
}
const notInTable = (attribute: string, table: string) =>
  badRequest(
    `Expecting to find ${attribute} in ${table}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
  );

type Snapshot = ReadonlyArray<{ readonly service: Service; readonly endpoints: readonly Endpoint[] }>;

export class CatalogService {
  #snapshot: Promise<Snapshot> | undefined;

  constructor(private readonly repo: CatalogRepository) {}

  // ---- regions ------------------------------------------------------------------------------

  /** The region; throws not_found. */
  async getRegion(id: string): Promise<Region> {
    return found(await this.repo.getRegion(id), "region", id);
  }

  listRegions(filter?: { readonly parentRegionId?: string }): Promise<Region[]> {
    return this.repo.listRegions(filter);
  }

  /** Creates a region (id generated when absent). conflict on a taken id; not_found for a missing parent. */
  async createRegion(input: RegionInput): Promise<Region> {
    const id = input.id || newHexId();
    if (await this.repo.getRegion(id))
      throw conflict(`Conflict occurred attempting to store region - Duplicate ID, ${id}.`);
    const parent = input.parent_region_id ?? null;
    if (parent !== null && !(await this.repo.getRegion(parent))) throw missing("region", parent);
    const region: Region = {
      id,
      description: input.description ?? "",
      parent_region_id: parent,
      extra: input.extra ?? {},
    };
    await this.repo.insertRegion(region);
    this.#invalidate();
    return region;
  }

  /** Updates a region; not_found for it or a new parent, bad_request for a circular hierarchy. */
  async updateRegion(id: string, patch: RegionInput): Promise<Region> {
    const current = await this.getRegion(id);
    const parent = patch.parent_region_id === undefined ? current.parent_region_id : patch.parent_region_id;
    if (parent !== null && parent !== current.parent_region_id) {
      // walk up from the new parent: meeting this region again would make a cycle
      for (let at: string | null = parent; at !== null; ) {
        if (at === id)
          throw badRequest(`The specified parent region ${parent} would create a circular region hierarchy.`);
        const r: Region | undefined = await this.repo.getRegion(at);
        if (!r) throw missing("region", at);
        at = r.parent_region_id;
      }
    }
    const description = patch.description === undefined ? current.description : (patch.description ?? "");
    const region: Region = { id, description, parent_region_id: parent, extra: { ...current.extra, ...patch.extra } };
    await this.repo.updateRegion(region);
    this.#invalidate();
    return region;
  }

  /** Deletes a region and its children; forbidden while any of them has endpoints. */
  async deleteRegion(id: string): Promise<void> {
    await this.getRegion(id);
    const all = await this.repo.listRegions();
    const subtree = [id];
    for (let i = 0; i < subtree.length; i++) {
      for (const r of all) if (r.parent_region_id === subtree[i]) subtree.push(r.id);
    }
    const endpoints = await this.repo.listEndpoints();
    if (endpoints.some((e) => e.region_id !== null && subtree.includes(e.region_id))) {
      throw forbidden(`Unable to delete region ${id} because it or its child regions have associated endpoints.`);
    }
    await this.repo.deleteRegions(subtree.reverse());
    this.#invalidate();
  }

  // ---- services -----------------------------------------------------------------------------

  async getService(id: string): Promise<Service> {
    return found(await this.repo.getService(id), "service", id);
  }

  listServices(filter?: { readonly type?: string; readonly name?: string }): Promise<Service[]> {
    return this.repo.listServices(filter);
  }

  /** Creates a service; `type` is required (the API layer validates it). */
  async createService(input: ServiceInput & { readonly type: string }): Promise<Service> {
    const service: Service = {
      id: newHexId(),
      type: input.type,
      enabled: input.enabled ?? true,
      name: input.name ?? "",
      extra: input.extra ?? {},
    };
    await this.repo.insertService(service);
    this.#invalidate();
    return service;
  }

  async updateService(id: string, patch: ServiceInput): Promise<Service> {
    const current = await this.getService(id);
    const service: Service = {
      id,
      type: patch.type ?? current.type,
      enabled: patch.enabled ?? current.enabled,
      name: patch.name ?? current.name,
      extra: { ...current.extra, ...patch.extra },
    };
    await this.repo.updateService(service);
    this.#invalidate();
    return service;
  }

  /** Deletes a service and its endpoints; not_found when it does not exist. */
  async deleteService(id: string): Promise<void> {
    if (!(await this.repo.deleteService(id))) throw missing("service", id);
    this.#invalidate();
  }

  // ---- endpoints ----------------------------------------------------------------------------

  async getEndpoint(id: string): Promise<Endpoint> {
    return found(await this.repo.getEndpoint(id), "endpoint", id);
  }

  listEndpoints(filter?: {
    readonly interface?: EndpointInterface;
    readonly serviceId?: string;
    readonly regionId?: string;
  }): Promise<Endpoint[]> {
    return this.repo.listEndpoints(filter);
  }

  /** Creates an endpoint; bad_request for an unknown service or region_id or an invalid URL. */
  async createEndpoint(
    input: EndpointInput & { readonly interface: EndpointInterface; readonly service_id: string; readonly url: string },
  ): Promise<Endpoint> {
    const regionId = await this.#resolveRegion(input);
    await this.#checkReferences(input.url, input.service_id, regionId);
    const endpoint: Endpoint = {
      id: newHexId(),
      interface: input.interface,
      service_id: input.service_id,
      url: input.url,
      region_id: regionId,
      enabled: input.enabled ?? true,
      extra: input.extra ?? {},
    };
    await this.repo.insertEndpoint(endpoint);
    this.#invalidate();
    return endpoint;
  }

  async updateEndpoint(id: string, patch: EndpointInput): Promise<Endpoint> {
    const current = await this.getEndpoint(id);
    const regionId =
      patch.region_id === undefined && patch.region === undefined
        ? current.region_id
        : await this.#resolveRegion(patch);
    const endpoint: Endpoint = {
      id,
      interface: patch.interface ?? current.interface,
      service_id: patch.service_id ?? current.service_id,
      url: patch.url ?? current.url,
      region_id: regionId,
      enabled: patch.enabled ?? current.enabled,
      extra: { ...current.extra, ...patch.extra },
    };
    await this.#checkReferences(endpoint.url, endpoint.service_id, endpoint.region_id);
    await this.repo.updateEndpoint(endpoint);
    this.#invalidate();
    return endpoint;
  }

  async deleteEndpoint(id: string): Promise<void> {
    if (!(await this.repo.deleteEndpoint(id))) throw missing("endpoint", id);
    this.#invalidate();
  }

  // ---- the catalog in tokens ----------------------------------------------------------------

  /**
   * The v3 catalog for a token: enabled services with their enabled endpoints, URLs substituted.
   * Without a project (domain or system scope) endpoints whose URL needs one are left out.
   */
  async catalogFor(userId: string, projectId: string | null): Promise<CatalogEntry[]> {
    const values =
      projectId === null ? { user_id: userId } : { user_id: userId, project_id: projectId, tenant_id: projectId };
    this.#snapshot ??= this.#load();
    const snapshot = await this.#snapshot;
    return snapshot.map(({ service, endpoints }) => ({
      id: service.id,
      type: service.type,
      name: service.name,
      endpoints: endpoints.flatMap((e) => {
        const url = formatEndpointUrl(e.url, values);
        return url === null
          ? []
          : [{ id: e.id, interface: e.interface, region: e.region_id, region_id: e.region_id, url }];
      }),
    }));
  }

  async #load(): Promise<Snapshot> {
    const [services, endpoints] = await Promise.all([this.repo.listServices(), this.repo.listEndpoints()]);
    return services
      .filter((s) => s.enabled)
      .map((service) => ({ service, endpoints: endpoints.filter((e) => e.enabled && e.service_id === service.id) }));
  }

  #invalidate(): void {
    this.#snapshot = undefined;
  }

  async #resolveRegion(input: EndpointInput): Promise<string | null> {
    if (input.region_id !== undefined || input.region === undefined) return input.region_id ?? null;
    // the legacy `region` attribute creates its region on first use, as Keystone does
    if (!(await this.repo.getRegion(input.region))) await this.createRegion({ id: input.region });
    return input.region;
  }

  async #checkReferences(url: string, serviceId: string, regionId: string | null): Promise<void> {
    if (!isValidEndpointUrl(url)) throw badRequest(`Cannot create an endpoint with an invalid URL: ${url}.`);
    if (regionId !== null && !(await this.repo.getRegion(regionId)))
      throw notInTable("endpoint region_id", "region table");
    if (!(await this.repo.getService(serviceId))) throw notInTable("endpoint service_id", "service table");
  }
}
