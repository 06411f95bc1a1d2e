/**
 * Glance's image PATCH (`application/openstack-images-v2.1-json-patch`, draft 10 style):
 * `add`/`replace`/`remove` on one top-level attribute each, checked as Glance checks them
 * (read-only and reserved names 403, schema violations 400, missing properties 409).
 */
import { badRequest, conflict, forbidden } from "@stratus/core/errors";
import {
  BASE_ATTRIBUTES,
  CONTAINER_FORMATS,
  DISK_FORMATS,
  type Image,
  isReserved,
  READ_ONLY_ATTRIBUTES,
  VISIBILITIES,
} from "./model.js";

export const JSON_PATCH_TYPE = "application/openstack-images-v2.1-json-patch";
/** The older draft-4 style (`{"replace": "/name", "value": ...}`), still sent by Tempest. */
export const JSON_PATCH_V20_TYPE = "application/openstack-images-v2.0-json-patch";
const OPERATIONS = ["add", "remove", "replace"] as const;
type Operation = (typeof OPERATIONS)[number];

export interface ImageChange {
  readonly op: Operation;
  readonly path: string;
  readonly value?: unknown;
}

const invalid = (reason: string) => badRequest(`Provided object does not match schema 'image': ${reason}`);

/** Checks a value written to `key` against the image schema; throws `bad_request`. Pure. */
export function checkValue(key: string, value: unknown): void {
  const oneOf = (allowed: readonly (string | null)[]) => {
    if (!allowed.includes(value as string))
      throw invalid(`${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
  };
  switch (key) {
    case "name":
    case "owner":
      if (value !== null && (typeof value !== "string" || value.length > 255))
        throw invalid(`${JSON.stringify(value)} is not of type 'null', 'string' of at most 255 characters`);
      return;
    case "visibility":
      oneOf(VISIBILITIES);
      return;
    case "disk_format":
      oneOf([null, ...DISK_FORMATS]);
      return;
    case "container_format":
      oneOf([null, ...CONTAINER_FORMATS]);
      return;
    case "protected":
    case "os_hidden":
      if (typeof value !== "boolean") throw invalid(`${JSON.stringify(value)} is not of type 'boolean'`);
      return;
    case "min_disk":
    case "min_ram":
      if (!Number.isInteger(value)) throw invalid(`${JSON.stringify(value)} is not of type 'integer'`);
      if ((value as number) < 0)
        throw badRequest(`Invalid value '${value}' for parameter '${key}': Cannot be a negative value`);
      return;
    case "tags":
      if (!Array.isArray(value) || value.some((t) => typeof t !== "string" || t.length > 255))
        throw invalid(`${JSON.stringify(value)} is not an array of strings`);
      return;
    default:
      if (typeof value !== "string") throw invalid(`${JSON.stringify(value)} is not of type 'string'`);
  }
}

/** Parses one change; throws `bad_request` for a bad op/path/value and `forbidden` for read-only names. */
function parseChange(raw: unknown): { op: Operation; key: string; value: unknown } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw badRequest("Operations must be JSON objects.");
  const change = raw as Record<string, unknown>;
  const op = change["op"];
  if (op === undefined)
    throw badRequest(
      `Unable to find \`op\` in JSON Schema change. It must be one of the following: ${OPERATIONS.join(", ")}.`,
    );
  if (!(OPERATIONS as readonly unknown[]).includes(op))
    throw badRequest(
      `Invalid operation: \`${String(op)}\`. It must be one of the following: ${OPERATIONS.join(", ")}.`,
    );
  const path = change["path"];
  if (typeof path !== "string") throw badRequest("Unable to find '`path`' in JSON Schema change");
  if (!path.startsWith("/")) throw badRequest(`Pointer \`${path}\` does not start with "/".`);
  const parts = path
    .slice(1)
    .split("/")
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  const key = parts[0] ?? "";
  if (READ_ONLY_ATTRIBUTES.has(key)) throw forbidden(`Attribute '${key}' is read-only.`);
  if (isReserved(key)) throw forbidden(`Attribute '${key}' is reserved.`);
  // `/tags/-` style paths are not implemented by Glance either: one token only
  if (parts.length !== 1 || key === "")
    throw badRequest(`Invalid JSON pointer for this resource: '/${parts.join("/")}'`);
  if (op !== "remove" && !("value" in change)) throw badRequest(`Operation "${op}" requires a member named "value".`);
  const value = change["value"];
  if (op !== "remove") checkValue(key, value);
  return { op: op as Operation, key, value };
}

/** A draft-4 change (the operation's name is the member that holds the path) in draft-10 form. */
function fromDraft4(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw badRequest("Operations must be JSON objects.");
  const change = raw as Record<string, unknown>;
  const ops = OPERATIONS.filter((op) => op in change);
  const [op] = ops;
  if (op === undefined || ops.length !== 1)
    throw badRequest('Operation objects must contain exactly one member named "add", "remove", or "replace".');
  const { [op]: path, ...rest } = change;
  return { ...rest, op, path };
}

/**
 * Glance's JSON parse of the whole body: a list of changes, in the draft-10 style of
 * `JSON_PATCH_TYPE` or the draft-4 style of `JSON_PATCH_V20_TYPE`. Throws `bad_request`/`forbidden`.
 */
export function parseChanges(
  body: unknown,
  mediaType: string = JSON_PATCH_TYPE,
): Array<{ op: Operation; key: string; value: unknown }> {
  if (!Array.isArray(body)) throw badRequest("Request body must be a JSON array of operation objects.");
  return body.map((raw) => parseChange(mediaType === JSON_PATCH_V20_TYPE ? fromDraft4(raw) : raw));
}

export interface PatchCaller {
  readonly isAdmin: boolean;
}

/** Applies parsed changes to an image. Throws `forbidden`/`conflict` as Glance does. Pure. */
export function applyChanges(image: Image, changes: ReturnType<typeof parseChanges>, caller: PatchCaller): Image {
  let next: Image = image;
  for (const { op, key, value } of changes) {
    const base = BASE_ATTRIBUTES.has(key);
    if (key === "owner" && op === "replace" && !caller.isAdmin) throw forbidden("Owner can't be updated by non admin.");
    // the format was checked against the data on upload: it may not change once there is data
    if (
      (key === "disk_format" || key === "container_format") &&
      next.status !== "queued" &&
      next.status !== "importing"
    )
      throw forbidden(`Attribute ${key} can be only replaced for a queued image.`);
    if (op === "remove") {
      if (base) throw forbidden(`Property ${key} may not be removed.`);
      if (!(key in next.properties)) throw conflict(`Property ${key} does not exist.`);
      const { [key]: _gone, ...rest } = next.properties;
      next = { ...next, properties: rest };
    } else if (base) {
      next = { ...next, [key]: key === "tags" ? [...new Set(value as string[])] : value };
    } else {
      if (op === "replace" && !(key in next.properties)) throw conflict(`Property ${key} does not exist.`);
      next = { ...next, properties: { ...next.properties, [key]: value as string } };
    }
  }
  return next;
}
