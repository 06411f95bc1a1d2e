/**
 * The body of `POST /v2/images` read as Glance's RequestDeserializer.create does: links are
 * refused (403), read-only and reserved names refused, base attributes checked against the
 * schema, everything else a string property.
 */
import { badRequest, forbidden } from "@stratus/core/errors";
import { BASE_ATTRIBUTES, DISALLOWED_ON_CREATE, type Image, isReserved, READ_ONLY_ATTRIBUTES } from "./model.js";
import { checkValue } from "./patch.js";

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Base attributes a client may give on create. */
const WRITABLE = new Set([...BASE_ATTRIBUTES].filter((k) => !READ_ONLY_ATTRIBUTES.has(k) || k === "id"));

export interface CreateInput {
  readonly id?: string;
  readonly attributes: Partial<Image>;
  readonly properties: Record<string, string>;
}

/** Throws `bad_request` (shape, schema), `forbidden` (read-only, reserved, owner by non-admin). Pure. */
export function readCreateBody(body: unknown, admin: boolean): CreateInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Body expected in request.");
  const fields = body as Record<string, unknown>;
  for (const key of DISALLOWED_ON_CREATE) if (key in fields) throw forbidden(`Attribute '${key}' is read-only.`);
  const attributes: Record<string, unknown> = {};
  const properties: Record<string, string> = {};
  let id: string | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (key === "id") {
      if (typeof value !== "string" || !UUID.test(value))
        throw badRequest(
          `Provided object does not match schema 'image': ${JSON.stringify(value)} does not match the id pattern`,
        );
      id = value;
    } else if (READ_ONLY_ATTRIBUTES.has(key)) {
      throw forbidden(`Attribute '${key}' is read-only.`);
    } else if (WRITABLE.has(key)) {
      checkValue(key, value);
      if (key === "owner" && !admin && value !== null) throw forbidden("Owner can't be updated by non admin.");
      attributes[key] = key === "tags" ? [...new Set(value as string[])] : value;
    } else {
      if (key.length > 255) throw badRequest("Custom property should not be greater than 255 characters.");
      if (isReserved(key)) throw forbidden(`Attribute '${key}' is reserved.`);
      checkValue(key, value);
      properties[key] = value as string;
    }
  }
  return { ...(id === undefined ? {} : { id }), attributes: attributes as Partial<Image>, properties };
}
