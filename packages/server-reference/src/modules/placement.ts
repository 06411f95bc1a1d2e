/**
 * Placement on its port: @stratus/scheduler's Placement API over the embedded store, tokens
 * validated in process by the shared identity, and the placement endpoints listed in the catalog
 * once the port is bound (clients find Placement through the catalog, as osc-placement does).
 */
import type { Logger } from "@stratus/core";
import { UPSTREAM_MICROVERSIONS } from "@stratus/core/http";
import { type PlacementStore, SqlPlacementStore } from "@stratus/scheduler";
import { registerPlacementRoutes } from "@stratus/scheduler/api";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import type { ServiceModule } from "../server.js";
import { SERVICES } from "../services.js";
import { registerRootDocument } from "./discovery-only.js";
import { createModuleApp, listInCatalog, openServiceDatabase, type SharedIdentity } from "./identity.js";

/** The placement store the config names: SQLite in the data dir by default, or PostgreSQL/MariaDB. */
export async function openPlacementStore(config: ServerConfig): Promise<PlacementStore> {
  const db = await openServiceDatabase(config.dataDir, "placement.db", config.placement.databaseUrl);
  return SqlPlacementStore.open(db);
}

export class PlacementModule implements ServiceModule {
  readonly descriptor = SERVICES.placement;

  constructor(
    private readonly config: ServerConfig,
    private readonly logger: Logger,
    private readonly shared: SharedIdentity,
  ) {}

  async createApp({ publicUrl }: { readonly publicUrl: () => string }): Promise<FastifyInstance> {
    const { identity } = await this.shared.ready();
    const store = await openPlacementStore(this.config);
    const app = createModuleApp(this.config, this.logger, identity, "placement", UPSTREAM_MICROVERSIONS.placement);
    registerPlacementRoutes(app, { store });
    registerRootDocument(app, "placement", publicUrl);
    app.addHook("onClose", async () => store.close());
    return app;
  }

  /** Lists (or moves) the placement endpoints in the catalog once the port is known. */
  async started(url: string): Promise<void> {
    await listInCatalog(this.shared, this.logger, { type: "placement", name: "placement" }, url);
  }
}
