/**
 * The converter's entry point to raw: one reader per source format, one sink per output kind.
 */
import { badRequest } from "@stratus/core/errors";
import { DEFAULT_MAX_VIRTUAL_SIZE } from "../inspect/index.js";
import { openQcow2 } from "./qcow2-to-raw.js";
import type { DiskReader } from "./runs.js";
import { openRawSink } from "./sink.js";
import { type OpenedSource, openSource } from "./source.js";
import type { ConvertInput, ConvertOutput, ConvertResult, ConvertToRawOptions, SourceFormat } from "./types.js";
import { openVdi } from "./vdi-to-raw.js";
import { openVhd } from "./vhd-to-raw.js";
import { openVhdx } from "./vhdx-to-raw.js";
import { openVmdk } from "./vmdk-to-raw.js";

/** Readers by source format; a format missing here is refused as not supported. */
const READERS: Partial<Record<SourceFormat, (source: OpenedSource) => Promise<DiskReader>>> = {
  qcow2: openQcow2,
  vmdk: openVmdk,
  vhd: openVhd,
  vhdx: openVhdx,
  vdi: openVdi,
};

/** Source formats `convertToRaw` reads. */
export const RAW_CONVERTIBLE_FORMATS = Object.keys(READERS) as SourceFormat[];

/**
 * Converts `input` (a path or RandomAccessSource in `options.format`) to a raw disk at `output`
 * (a path written sparsely, or a writable stream). Reads only metadata and allocated data.
 * Throws bad_request for unsafe (backing file, data file), corrupt or truncated images, and
 * for formats it does not read. A partial output file is left for the caller to remove.
 */
export async function convertToRaw(
  input: ConvertInput,
  output: ConvertOutput,
  options: ConvertToRawOptions,
): Promise<ConvertResult> {
  const open = READERS[options.format];
  if (!open) throw badRequest(`Converting ${options.format} to raw is not supported.`);
  const source = await openSource(input);
  try {
    const reader = await open(source);
    const max = options.maxVirtualSize ?? DEFAULT_MAX_VIRTUAL_SIZE;
    if (!Number.isSafeInteger(reader.virtualSize) || reader.virtualSize > max) {
      throw badRequest(`The image's virtual size ${reader.virtualSize} exceeds the limit of ${max} bytes.`);
    }
    const sink = await openRawSink(output, reader.virtualSize, options.onProgress);
    try {
      await reader.copyTo(sink);
    } catch (e) {
      await sink.abort();
      throw e;
    }
    const dataBytes = await sink.finish(reader.virtualSize);
    return { virtualSize: reader.virtualSize, dataBytes };
  } finally {
    await source.close();
  }
}
