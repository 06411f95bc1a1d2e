import type { Endpoint, EndpointInterface, Region, Service } from "./types.js";

/** Where the catalog is kept. Writes are plain; the rules live in CatalogService. */
export interface CatalogRepository {
  /** The region, or undefined. */
  getRegion(id: string): Promise<Region | undefined>;
  /** Regions, optionally only the children of `parentRegionId`. */
  listRegions(filter?: { readonly parentRegionId?: string }): Promise<Region[]>;
  /** Inserts; throws `conflict` when the id exists. */
  insertRegion(region: Region): Promise<void>;
  /** Replaces the stored row of `region.id`. */
  updateRegion(region: Region): Promise<void>;
  /** Deletes the regions (children first is the caller's job); idempotent. */
  deleteRegions(ids: readonly string[]): Promise<void>;

  /** The service, or undefined. */
  getService(id: string): Promise<Service | undefined>;
  listServices(filter?: { readonly type?: string; readonly name?: string }): Promise<Service[]>;
  insertService(service: Service): Promise<void>;
  updateService(service: Service): Promise<void>;
  /** Deletes the service and its endpoints in one transaction; false when it did not exist. */
  deleteService(id: string): Promise<boolean>;

  getEndpoint(id: string): Promise<Endpoint | undefined>;
  listEndpoints(filter?: {
    readonly interface?: EndpointInterface;
    readonly serviceId?: string;
    readonly regionId?: string;
  }): Promise<Endpoint[]>;
  insertEndpoint(endpoint: Endpoint): Promise<void>;
  updateEndpoint(endpoint: Endpoint): Promise<void>;
  /** False when it did not exist. */
  deleteEndpoint(id: string): Promise<boolean>;
}
