/**
 * The OVN side of the network module: connects @stratus/ovsdb to OVN_Northbound, builds the
 * mechanism driver on it and runs the periodic Neutron→OVN sync in repair mode. Kept apart so the
 * embedded default never loads it.
 */
import type { Logger } from "@stratus/core";
import type { NeutronView } from "@stratus/network";
import { OvnMechanismDriver, syncOvn } from "@stratus/network/ovn";
import type { ServerConfig } from "../config.js";

export interface OvnBackend {
  readonly driver: OvnMechanismDriver;
  /** Starts the periodic repair over Neutron's DB (no-op when the interval is 0). */
  startPeriodicSync(view: NeutronView): void;
  close(): Promise<void>;
}

export async function openOvnDriver(net: ServerConfig["network"], logger: Logger): Promise<OvnBackend> {
  const driver = await OvnMechanismDriver.connect({
    nbConnection: net.ovnNbConnection as string,
    log: (line) => logger.info(line),
  });
  logger.info({ endpoint: driver.client.endpoint }, "connected to OVN_Northbound");
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  return {
    driver,
    startPeriodicSync(view) {
      if (net.syncIntervalSeconds <= 0) return;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        syncOvn(driver, view, "repair")
          .then((r) => {
            if (r.findings.length > 0)
              logger.warn({ findings: r.findings }, `OVN sync repaired ${r.repaired} drifted objects`);
          })
          .catch((err: unknown) => logger.warn({ err }, "OVN sync failed"))
          .finally(() => {
            running = false;
          });
      }, net.syncIntervalSeconds * 1000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      driver.close();
    },
  };
}
