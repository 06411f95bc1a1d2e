/**
 * One pass over an uploaded stream: every chunk is fed to the format inspector and, in blocks,
 * written to the store and hashed on worker threads (md5 for `checksum`, sha512 for the
 * multihash, see block-pipeline.ts); the verdict is checked against the declared `disk_format`
 * only once the last byte is in, and nothing is committed unless it passes.
 */
import { assertSafe } from "../inspect/assert-safe.js";
import { FormatInspector } from "../inspect/inspector.js";
import { IMAGE_FORMATS, type ImageFormat } from "../inspect/types.js";
import { BlockPipeline, type BlockPipelineOptions } from "./block-pipeline.js";
import type { ImageStore } from "./store.js";

export interface UploadResult {
  readonly size: number;
  readonly virtualSize: number;
  /** md5 hex digest. */
  readonly checksum: string;
  readonly osHashAlgo: "sha512";
  readonly osHashValue: string;
}

/** The inspector's format for a Glance disk_format, or undefined for one we cannot check (ami, ploop...). */
export const inspectableFormat = (diskFormat: string | null): ImageFormat | undefined =>
  (IMAGE_FORMATS as readonly string[]).includes(diskFormat ?? "") ? (diskFormat as ImageFormat) : undefined;

/** Options of `receiveImageData`. */
export interface ReceiveOptions {
  /** Plain raw content passes under another declared disk_format (`require_image_format_match` off). */
  readonly allowRawContent?: boolean;
  /**
   * The most bytes the upload may bring (e.g. a storage quota's remaining room): `tooMany()` is
   * thrown as soon as the running count passes it, before those bytes are kept.
   */
  readonly limit?: { readonly bytes: number; tooMany(): Error };
  /** The block ring and hash workers (default: 8 blocks of 1 MiB, the process's two workers). */
  readonly pipeline?: BlockPipelineOptions;
}

/**
 * Streams `body` into `store` as image `id`'s data. Throws `bad_request` (unsafe or mismatched
 * content), `payload_too_large` (over the store's limit), the limit's error or the stream's own
 * error; in each case the staged bytes are removed and nothing is stored.
 */
export async function receiveImageData(
  store: ImageStore,
  id: string,
  diskFormat: string | null,
  body: AsyncIterable<Uint8Array>,
  options: ReceiveOptions = {},
): Promise<UploadResult> {
  const inspector = new FormatInspector();
  const staged = await store.begin(id);
  const pipeline = new BlockPipeline((block) => staged.write(block), options.pipeline);
  const limit = options.limit?.bytes ?? Number.POSITIVE_INFINITY;
  let received = 0;
  try {
    for await (const chunk of body) {
      received += chunk.byteLength;
      if (received > limit) throw options.limit?.tooMany();
      inspector.push(chunk);
      await pipeline.push(chunk);
    }
    const digests = await pipeline.finish();
    const verdict = inspector.finish();
    const expected = inspectableFormat(diskFormat);
    // a format the inspector does not know (ami, ploop) still must not hide a dangerous container
    assertSafe(verdict, {
      ...(expected === undefined ? {} : { expectedFormat: expected }),
      allowRawContent: options.allowRawContent === true,
    });
    const size = await staged.commit();
    return {
      size,
      virtualSize: verdict.virtualSize,
      checksum: digests.md5,
      osHashAlgo: "sha512",
      osHashValue: digests.sha512,
    };
  } catch (error) {
    await pipeline.abort();
    await staged.abort();
    throw error;
  }
}
