/**
 * The documents Glance serves at `/v2/schemas/image` and `/v2/schemas/images`: the image schema
 * (base properties, `additionalProperties: {type: string}` since free-form properties are
 * strings) and the collection schema around it. Custom properties are the ones Glance ships in
 * `etc/schema-image.json`, marked `is_base: false` as Glance marks them.
 */
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_STATUSES, VISIBILITIES } from "./model.js";

const UUID_PATTERN = "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";
const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: "string", description, ...extra });
const nullable = (type: string, description: string, extra: Record<string, unknown> = {}) => ({
  type: ["null", type],
  description,
  ...extra,
});
const readOnly = { readOnly: true };

function baseProperties(): Record<string, unknown> {
  return {
    id: str("An identifier for the image", { pattern: UUID_PATTERN }),
    name: nullable("string", "Descriptive name for the image", { maxLength: 255 }),
    status: str("Status of the image", { ...readOnly, enum: [...IMAGE_STATUSES] }),
    visibility: str("Scope of image accessibility", { enum: [...VISIBILITIES] }),
    protected: { type: "boolean", description: "If true, image will not be deletable." },
    os_hidden: { type: "boolean", description: "If true, image will not appear in default image list response." },
    checksum: nullable("string", "md5 hash of image contents.", { ...readOnly, maxLength: 32 }),
    os_hash_algo: nullable("string", "Algorithm to calculate the os_hash_value", { ...readOnly, maxLength: 64 }),
    os_hash_value: nullable(
      "string",
      "Hexdigest of the image contents using the algorithm specified by the os_hash_algo",
      { ...readOnly, maxLength: 128 },
    ),
    owner: nullable("string", "Owner of the image", { maxLength: 255 }),
    size: nullable("integer", "Size of image file in bytes", readOnly),
    virtual_size: nullable("integer", "Virtual size of image in bytes", readOnly),
    container_format: nullable("string", "Format of the container", { enum: [null, ...CONTAINER_FORMATS] }),
    disk_format: nullable("string", "Format of the disk", { enum: [null, ...DISK_FORMATS] }),
    created_at: str("Date and time of image registration", readOnly),
    updated_at: str("Date and time of the last image modification", readOnly),
    tags: {
      type: "array",
      description: "List of strings related to the image",
      items: { type: "string", maxLength: 255 },
    },
    direct_url: str("URL to access the image file kept in external store", readOnly),
    min_ram: { type: "integer", description: "Amount of ram (in MB) required to boot image." },
    min_disk: { type: "integer", description: "Amount of disk space (in GB) required to boot image." },
    self: str("An image self url", readOnly),
    file: str("An image file url", readOnly),
    stores: str(
      "Store in which image data resides.  Only present when the operator has enabled multiple stores.  May be a comma-separated list of store identifiers.",
      readOnly,
    ),
    schema: str("An image schema url", readOnly),
    locations: {
      type: "array",
      items: {
        type: "object",
        properties: {
          url: { type: "string", maxLength: 255 },
          metadata: { type: "object" },
          validation_data: {
            description:
              "Values to be used to populate the corresponding image properties. If the image status is not 'queued', values must exactly match those already contained in the image properties.",
            type: "object",
            writeOnly: true,
            additionalProperties: false,
            properties: {
              checksum: { type: "string", minLength: 32, maxLength: 32 },
              os_hash_algo: { type: "string", maxLength: 64 },
              os_hash_value: { type: "string", maxLength: 128 },
            },
            required: ["os_hash_algo", "os_hash_value"],
          },
        },
        required: ["url", "metadata"],
      },
      description: "A set of URLs to access the image file kept in external store",
    },
  };
}

const custom = (p: Record<string, unknown>) => ({ ...p, is_base: false });

function customProperties(): Record<string, unknown> {
  const idOf = (what: string) =>
    custom({
      type: ["null", "string"],
      pattern: UUID_PATTERN,
      description: `ID of image stored in Glance that should be used as the ${what} when booting an AMI-style image.`,
    });
  const keys = "as specified in https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html";
  return {
    kernel_id: idOf("kernel"),
    ramdisk_id: idOf("ramdisk"),
    instance_uuid: custom({
      type: "string",
      description:
        "Metadata which can be used to record which instance this image is associated with. (Informational only, does not create an instance snapshot.)",
    }),
    architecture: custom({ description: `Operating system architecture ${keys}`, type: "string" }),
    os_distro: custom({ description: `Common name of operating system distribution ${keys}`, type: "string" }),
    os_version: custom({ description: "Operating system version as specified by the distributor.", type: "string" }),
    description: custom({ description: "A human-readable string describing this image.", type: "string" }),
    cinder_encryption_key_id: custom({
      description:
        "Identifier in the OpenStack Key Management Service for the encryption key for the Block Storage Service to use when mounting a volume created from this image",
      type: "string",
    }),
    cinder_encryption_key_deletion_policy: custom({
      description:
        "States the condition under which the Image Service will delete the object associated with the 'cinder_encryption_key_id' image property.  If this property is missing, the Image Service will take no action",
      type: "string",
      enum: ["on_image_deletion", "do_not_delete"],
    }),
  };
}

/** `GET /v2/schemas/image`. A fresh object each call. */
export function imageSchema(): Record<string, unknown> {
  return {
    name: "image",
    properties: { ...baseProperties(), ...customProperties() },
    additionalProperties: { type: "string" },
    links: [
      { rel: "self", href: "{self}" },
      { rel: "enclosure", href: "{file}" },
      { rel: "describedby", href: "{schema}" },
    ],
  };
}

/** `GET /v2/schemas/images`. A fresh object each call. */
export function imagesSchema(): Record<string, unknown> {
  return {
    name: "images",
    properties: {
      images: { type: "array", items: imageSchema() },
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
