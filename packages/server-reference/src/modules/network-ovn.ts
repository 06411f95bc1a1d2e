/**
 * The OVN side of the network module: connects @stratus/ovsdb to OVN_Northbound and builds the
 * mechanism driver on it. Kept apart so the embedded default never loads it.
 */
import type { Logger } from "@stratus/core";
import type { MechanismDriver } from "@stratus/network";
import type { ServerConfig } from "../config.js";

export async function openOvnDriver(
  _net: ServerConfig["network"],
  _logger: Logger,
): Promise<{ driver: MechanismDriver; close: () => Promise<void> }> {
  throw new Error("the OVN mechanism driver is not wired yet");
}
