/**
 * Keystone's wording of resource errors (keystone/exception.py and resource/core.py), so clients
 * and Tempest see the same messages.
 */
import { badRequest, conflict, forbidden, notFound, type StratusError } from "@stratus/core/errors";

/** 404 `Could not find project: <id>.` */
export const projectNotFound = (id: string): StratusError => notFound(`Could not find project: ${id}.`);
/** 404 `Could not find domain: <id>.` */
export const domainNotFound = (id: string): StratusError => notFound(`Could not find domain: ${id}.`);
/** 404 `Could not find project tag: <tag>.` */
export const projectTagNotFound = (tag: string): StratusError => notFound(`Could not find project tag: ${tag}.`);

/** 409 for a name already used in the domain (or among domains). */
export function projectConflict(p: { name: string; id: string; isDomain: boolean }): StratusError {
  const details = p.isDomain
    ? `it is not permitted to have two projects acting as domains with the same name: ${p.name}`
    : `it is not permitted to have two projects with either the same name or same id in the same domain: name is ${p.name}, project id ${p.id}`;
  return conflict(`Conflict occurred attempting to store project - ${details}.`);
}

/** Keystone's ForbiddenNotSecurity: a 403 whose message is safe to show. */
export const forbiddenNotSecurity = (message: string): StratusError => forbidden(message);
/** Keystone's ValidationError with an explicit message: a 400. */
export const validationError = (message: string): StratusError => badRequest(message);
