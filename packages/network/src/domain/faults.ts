/**
 * Neutron's exceptions as core errors: the code picks the HTTP status, `details.type` is the
 * neutron-lib class name the NeutronError body carries. Messages are Neutron's own wording.
 */
import { type ErrorCode, StratusError } from "@stratus/core/errors";

/** A core error carrying Neutron's exception name as its fault `type`. */
export const neutronError = (code: ErrorCode, type: string, message: string, cause?: unknown): StratusError =>
  new StratusError(code, message, { details: { type }, ...(cause === undefined ? {} : { cause }) });

/** webob.exc.HTTPBadRequest raised by Neutron's API layer (attribute validation). */
export const httpBadRequest = (message: string): StratusError => neutronError("bad_request", "HTTPBadRequest", message);

/** neutron-lib InvalidInput. */
export const invalidInput = (reason: string): StratusError =>
  neutronError("bad_request", "InvalidInput", `Invalid input for operation: ${reason}.`);

/** neutron-lib BadRequest (`Bad {resource} request: {msg}.`). */
export const badResourceRequest = (resource: string, msg: string): StratusError =>
  neutronError("bad_request", "BadRequest", `Bad ${resource} request: ${msg}.`);

const NOT_FOUND: Readonly<Record<string, [string, (id: string) => string]>> = {
  network: ["NetworkNotFound", (id) => `Network ${id} could not be found.`],
  subnet: ["SubnetNotFound", (id) => `Subnet ${id} could not be found.`],
  port: ["PortNotFound", (id) => `Port ${id} could not be found.`],
  router: ["RouterNotFound", (id) => `Router ${id} could not be found.`],
  floatingip: ["FloatingIPNotFound", (id) => `Floating IP ${id} could not be found`],
  security_group: ["SecurityGroupNotFound", (id) => `Security group ${id} does not exist`],
  security_group_rule: ["SecurityGroupRuleNotFound", (id) => `Security group rule ${id} does not exist`],
};

/** The NotFound exception Neutron raises for a missing (or invisible) resource of `kind`. */
export function resourceNotFound(kind: string, id: string): StratusError {
  const entry = NOT_FOUND[kind];
  if (entry === undefined) return neutronError("not_found", "NotFound", `${kind} ${id} could not be found.`);
  return neutronError("not_found", entry[0], entry[1](id));
}

/** neutron policy: PolicyNotAuthorized (403). */
export const policyNotAuthorized = (rule: string): StratusError =>
  neutronError("forbidden", "PolicyNotAuthorized", `(${rule}) is disallowed by policy`);
