/**
 * Identifiers as OpenStack formats them.
 *
 * - Keystone, Neutron-style hex ids: 32 lowercase hex digits, no dashes (`newHexId()`).
 * - Nova, Cinder, Glance ids: the dashed UUID form (`newUuid()`).
 * - Request ids: `req-` + dashed UUID, sent as `x-openstack-request-id` (`newRequestId()`).
 */
import { randomUUID } from "node:crypto";

/** A random (v4) UUID in its dashed form, e.g. `3fa85f64-5717-4562-b3fc-2c963f66afa6`. */
export function newUuid(): string {
  return randomUUID();
}

/** A random UUID as 32 hex digits without dashes, the form Keystone uses for its ids. */
export function newHexId(): string {
  return randomUUID().replaceAll("-", "");
}

/** A request id as oslo.middleware writes it: `req-<uuid>`. */
export function newRequestId(): string {
  return `req-${randomUUID()}`;
}

const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{32}$/i;
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in either the dashed or the 32-hex-digit form. */
export function isUuidLike(value: string): boolean {
  return DASHED.test(value) || HEX.test(value);
}

/** True for a well-formed `req-<uuid>` request id (a caller's id is only echoed when it is one). */
export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

/** The dashed form of a UUID given in either form; throws a TypeError for anything else. */
export function toDashedUuid(value: string): string {
  if (DASHED.test(value)) return value.toLowerCase();
  if (!HEX.test(value)) throw new TypeError(`not a UUID: ${JSON.stringify(value)}`);
  const h = value.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
