/**
 * Neutron on its port (9696): @stratus/network's API over its SQL store (SQLite in the data dir, or
 * PostgreSQL/MariaDB), tokens validated in
 * process by the shared identity. With `network.ovnNbConnection` set, the OVN mechanism driver
 * programs OVN_Northbound through @stratus/ovsdb and a periodic sync repairs drift; without it,
 * the same API runs with no backend (the embedded default).
 */
import type { Logger } from "@stratus/core";
import { createNetworkApi, type MechanismDriver, NOOP_DRIVER, SqlNeutronStore } from "@stratus/network";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import type { ServiceModule } from "../server.js";
import { SERVICES } from "../services.js";
import { identityBaseUrl, listInCatalog, openServiceDatabase, type SharedIdentity } from "./identity.js";
import { openOvnDriver } from "./network-ovn.js";

export class NetworkModule implements ServiceModule {
  readonly descriptor = SERVICES.network;

  constructor(
    private readonly config: ServerConfig,
    private readonly logger: Logger,
    private readonly shared: SharedIdentity,
  ) {}

  async createApp(): Promise<FastifyInstance> {
    const { identity } = await this.shared.ready();
    const net = this.config.network;
    let driver: MechanismDriver = NOOP_DRIVER;
    const ovn = net.ovnNbConnection
      ? await openOvnDriver(net, this.logger.child({ service: "network", driver: "ovn" }))
      : undefined;
    if (ovn) driver = ovn.driver;
    const store = await SqlNeutronStore.open(
      await openServiceDatabase(this.config.dataDir, "network.db", net.databaseUrl),
    );
    const api = createNetworkApi({
      store,
      driver,
      authenticator: identity.authenticator,
      identityUri: identityBaseUrl(this.config),
      logger: this.logger.child({ service: "network" }),
      options: {
        overlayMtu: net.overlayMtu,
        physnets: net.physicalNetworks,
        vlanRanges: net.vlanRanges,
        vniRanges: [net.geneveVniRange],
      },
    });
    api.app.addHook("onClose", async () => store.close());
    if (ovn) {
      ovn.startPeriodicSync(api.store);
      api.app.addHook("onClose", async () => ovn.close());
    }
    return api.app;
  }

  /** Lists (or moves) the network endpoint in the catalog once the port is known. */
  async started(url: string): Promise<void> {
    await listInCatalog(this.shared, this.logger, { type: "network", name: "neutron" }, url);
  }
}
