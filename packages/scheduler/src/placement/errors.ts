import { badRequest, conflict, type StratusError } from "@stratus/core/errors";

/** Placement's own error codes, carried in `details.errorCode` for the fault body. */
export const PLACEMENT_CODES = {
  concurrentUpdate: "placement.concurrent_update",
  undefined: "placement.undefined_code",
  inventoryInUse: "placement.inventory.inuse",
  duplicateName: "placement.duplicate_name",
} as const;

/** A 409 for a stale resource provider or consumer generation (`placement.concurrent_update`). */
export function concurrentUpdate(message: string): StratusError {
  return conflict(message, { details: { errorCode: PLACEMENT_CODES.concurrentUpdate }, retryable: true });
}

/** A 409 for an allocation that does not fit ("Unable to allocate inventory: ..."). */
export function unableToAllocate(reason: string): StratusError {
  return conflict(`Unable to allocate inventory: ${reason}`, {
    details: { errorCode: PLACEMENT_CODES.undefined },
  });
}

/** A 409 with Placement's catch-all code (e.g. a delete that hits allocations). */
export function placementConflict(message: string, code: string = PLACEMENT_CODES.undefined): StratusError {
  return conflict(message, { details: { errorCode: code } });
}

/** A 400 with Placement's catch-all code. */
export function placementBadRequest(message: string): StratusError {
  return badRequest(message, { details: { errorCode: PLACEMENT_CODES.undefined } });
}
