/**
 * Glance's `image_conversion` import plugin with our converters instead of qemu-img: the staged
 * image, already inspected and found safe, is converted to the operator's output format in a
 * work directory.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { badRequest } from "@stratus/core/errors";
import { convertRawToQcow2, convertToRaw, RAW_CONVERTIBLE_FORMATS } from "../../convert/index.js";
import type { SourceFormat } from "../../convert/types.js";

/** The formats an import may be converted to (Glance's `[image_conversion] output_format`, less vmdk). */
export const CONVERSION_FORMATS = ["raw", "qcow2"] as const;
export type ConversionFormat = (typeof CONVERSION_FORMATS)[number];

/** The import conversion step's settings. */
export interface ImageConversionOptions {
  /** The disk format every imported image is stored in. */
  readonly outputFormat: ConversionFormat;
}

/**
 * Converts the file `input`, whose content the inspector found to be `from`, to `to`, writing
 * `<workPath>.<to>` (and a temporary raw for qcow2 from a non-raw source). Returns the output
 * path, or null when no conversion is needed (same format, or an ISO, which Glance keeps).
 * Throws `bad_request` for a source format the converters do not read or an image they refuse;
 * on failure every file it wrote is removed.
 */
export async function convertStaged(
  input: string,
  from: string,
  to: ConversionFormat,
  workPath: string,
): Promise<string | null> {
  if (from === to || from === "iso") return null;
  const output = `${workPath}.${to}`;
  const rawTemp = `${workPath}.tmp-raw`;
  try {
    if (to === "qcow2" && from === "raw") {
      await convertRawToQcow2(input, output);
    } else {
      if (!(RAW_CONVERTIBLE_FORMATS as readonly string[]).includes(from))
        throw badRequest(`Image conversion from ${from} to ${to} is not supported.`);
      const raw = to === "raw" ? output : rawTemp;
      await convertToRaw(input, raw, { format: from as SourceFormat });
      if (to === "qcow2") await convertRawToQcow2(raw, output);
    }
    return output;
  } catch (error) {
    await rm(output, { force: true });
    throw error;
  } finally {
    await rm(rawTemp, { force: true });
  }
}

/** Where the conversion of image `id` works inside `workDir`. */
export const workPathOf = (workDir: string, id: string): string => join(workDir, `${id}.work`);
