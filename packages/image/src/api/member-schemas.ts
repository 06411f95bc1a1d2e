/**
 * The documents Glance serves at `/v2/schemas/member` and `/v2/schemas/members`
 * (glance.api.v2.image_members `get_schema`/`get_collection_schema`).
 */
import { MEMBER_STATUSES } from "./model.js";

const UUID_PATTERN = "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";

/** `GET /v2/schemas/member`. A fresh object each call. */
export function memberSchema(): Record<string, unknown> {
  return {
    name: "member",
    properties: {
      member_id: { type: "string", description: "An identifier for the image member (tenantId)" },
      image_id: { type: "string", description: "An identifier for the image", pattern: UUID_PATTERN },
      created_at: { type: "string", description: "Date and time of image member creation" },
      updated_at: { type: "string", description: "Date and time of last modification of image member" },
      status: { type: "string", description: "The status of this image member", enum: [...MEMBER_STATUSES] },
      schema: { readOnly: true, type: "string" },
    },
    additionalProperties: false,
  };
}

/** `GET /v2/schemas/members`. A fresh object each call. */
export function membersSchema(): Record<string, unknown> {
  return {
    name: "members",
    properties: {
      members: { type: "array", items: memberSchema() },
      first: { type: "string" },
      next: { type: "string" },
      schema: { type: "string" },
    },
    links: [
      { rel: "first", href: "{first}" },
      { rel: "next", href: "{next}" },
      { rel: "describedby", href: "{schema}" },
    ],
  };
}
