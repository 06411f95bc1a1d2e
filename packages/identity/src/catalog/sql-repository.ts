import type { Database } from "@stratus/core/db";
import type { Kysely, Selectable } from "kysely";
import type { CatalogTables } from "./migrations.js";
import type { CatalogRepository } from "./repository.js";
import type { Endpoint, EndpointInterface, Region, Service } from "./types.js";

const toRegion = (r: Selectable<CatalogTables["region"]>): Region => ({
  id: r.id,
  description: r.description,
  parent_region_id: r.parent_region_id,
  extra: r.extra,
});
const toService = (r: Selectable<CatalogTables["service"]>): Service => {
  const { name, ...extra } = r.extra as { name?: unknown };
  return { id: r.id, type: r.type, enabled: r.enabled, name: typeof name === "string" ? name : "", extra };
};
const toEndpoint = (r: Selectable<CatalogTables["endpoint"]>): Endpoint => ({
  id: r.id,
  interface: r.interface as EndpointInterface,
  service_id: r.service_id,
  url: r.url,
  region_id: r.region_id,
  enabled: r.enabled,
  extra: r.extra,
});
const serviceRow = (s: Service) => ({
  id: s.id,
  type: s.type,
  enabled: s.enabled,
  extra: { ...s.extra, name: s.name },
});
const endpointRow = (e: Endpoint) => ({ ...e, extra: { ...e.extra } });
const regionRow = (r: Region) => ({ ...r, extra: { ...r.extra } });

/** The catalog on SQLite, PostgreSQL or MariaDB (migrations: CATALOG_MIGRATIONS). */
export class SqlCatalogRepository implements CatalogRepository {
  private readonly db: Kysely<CatalogTables>;

  constructor(private readonly database: Database<unknown>) {
    this.db = database.kysely as unknown as Kysely<CatalogTables>;
  }

  async getRegion(id: string) {
    const row = await this.db.selectFrom("region").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toRegion(row);
  }
  async listRegions(filter: { readonly parentRegionId?: string } = {}) {
    let q = this.db.selectFrom("region").selectAll().orderBy("id");
    if (filter.parentRegionId !== undefined) q = q.where("parent_region_id", "=", filter.parentRegionId);
    return (await q.execute()).map(toRegion);
  }
  async insertRegion(region: Region) {
    await this.db.insertInto("region").values(regionRow(region)).execute();
  }
  async updateRegion(region: Region) {
    await this.db.updateTable("region").set(regionRow(region)).where("id", "=", region.id).execute();
  }
  async deleteRegions(ids: readonly string[]) {
    if (ids.length > 0)
      await this.db
        .deleteFrom("region")
        .where("id", "in", [...ids])
        .execute();
  }

  async getService(id: string) {
    const row = await this.db.selectFrom("service").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toService(row);
  }
  async listServices(filter: { readonly type?: string; readonly name?: string } = {}) {
    let q = this.db.selectFrom("service").selectAll().orderBy("id");
    if (filter.type !== undefined) q = q.where("type", "=", filter.type);
    const rows = (await q.execute()).map(toService);
    // name lives in the JSON extra column: filter here rather than in engine-specific SQL
    return filter.name === undefined ? rows : rows.filter((s) => s.name === filter.name);
  }
  async insertService(service: Service) {
    await this.db.insertInto("service").values(serviceRow(service)).execute();
  }
  async updateService(service: Service) {
    await this.db.updateTable("service").set(serviceRow(service)).where("id", "=", service.id).execute();
  }
  async deleteService(id: string) {
    return this.database.transaction(async (trx) => {
      const t = trx as unknown as Kysely<CatalogTables>;
      await t.deleteFrom("endpoint").where("service_id", "=", id).execute();
      const r = await t.deleteFrom("service").where("id", "=", id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async getEndpoint(id: string) {
    const row = await this.db.selectFrom("endpoint").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toEndpoint(row);
  }
  async listEndpoints(
    filter: { readonly interface?: EndpointInterface; readonly serviceId?: string; readonly regionId?: string } = {},
  ) {
    let q = this.db.selectFrom("endpoint").selectAll().orderBy("id");
    if (filter.interface !== undefined) q = q.where("interface", "=", filter.interface);
    if (filter.serviceId !== undefined) q = q.where("service_id", "=", filter.serviceId);
    if (filter.regionId !== undefined) q = q.where("region_id", "=", filter.regionId);
    return (await q.execute()).map(toEndpoint);
  }
  async insertEndpoint(endpoint: Endpoint) {
    await this.db.insertInto("endpoint").values(endpointRow(endpoint)).execute();
  }
  async updateEndpoint(endpoint: Endpoint) {
    await this.db.updateTable("endpoint").set(endpointRow(endpoint)).where("id", "=", endpoint.id).execute();
  }
  async deleteEndpoint(id: string) {
    const r = await this.db.deleteFrom("endpoint").where("id", "=", id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
