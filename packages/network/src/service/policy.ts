/**
 * Neutron's default policy as plain predicates: admins see everything; a project sees its own
 * resources, shared and external networks, subnets of shared networks (not of external ones:
 * Neutron's get_subnet rule is owner or shared), and ports on networks it owns.
 */
import { resourceNotFound } from "../domain/faults.js";
import type { Network, Port, ProjectOwned } from "../domain/model.js";
import type { Caller } from "./context.js";

export const owns = (caller: Caller, r: ProjectOwned): boolean => caller.isAdmin || r.project_id === caller.projectId;

export const networkVisible = (caller: Caller, n: Network): boolean =>
  owns(caller, n) || n.shared || n["router:external"];

/** Subnets follow their network's `shared`, not `router:external`. */
export const subnetNetworkVisible = (caller: Caller, n: Network): boolean => owns(caller, n) || n.shared;

export const portVisible = (caller: Caller, p: Port, network: Network | undefined): boolean =>
  owns(caller, p) || (network !== undefined && network.project_id === caller.projectId);

/** Throws the kind's 404 unless `ok` (Neutron hides what a caller may not see). */
export function assertVisible(ok: boolean, kind: string, id: string): void {
  if (!ok) throw resourceNotFound(kind, id);
}
