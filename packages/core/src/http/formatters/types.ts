import type { Fault, FaultRequest, RenderedFault } from "../fault.js";

/** Renders faults the way one OpenStack service does. */
export interface FaultFormatter {
  /** The service's error body, content type and extra headers for `fault`. Pure; never throws. */
  render(fault: Fault, request: FaultRequest): RenderedFault;
}

export const JSON_TYPE = "application/json; charset=utf-8";
