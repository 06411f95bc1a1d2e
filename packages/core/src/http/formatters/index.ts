import type { ServiceName } from "../service-profile.js";
import { glanceFaults } from "./glance.js";
import { heatFaults } from "./heat.js";
import { keystoneFaults } from "./keystone.js";
import { neutronFaults } from "./neutron.js";
import { novaFaults } from "./nova.js";
import { placementFaults } from "./placement.js";
import type { FaultFormatter } from "./types.js";

export { keystoneFaults } from "./keystone.js";
export { novaFaultName } from "./nova.js";
export { PLACEMENT_DEFAULT_ERROR_CODE } from "./placement.js";
export type { FaultFormatter } from "./types.js";

/** One formatter per service (Cinder shares Nova's). */
export const FAULT_FORMATTERS: Readonly<Record<ServiceName, FaultFormatter>> = {
  identity: keystoneFaults,
  compute: novaFaults,
  block: novaFaults,
  network: neutronFaults,
  image: glanceFaults,
  orchestration: heatFaults,
  placement: placementFaults,
};
