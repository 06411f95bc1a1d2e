/**
 * One pass over an uploaded stream: every chunk is written to the store, hashed (md5 for
 * `checksum`, sha512 for the multihash) and fed to the format inspector; the verdict is checked
 * against the declared `disk_format` only once the last byte is in, and nothing is committed
 * unless it passes.
 */
import { createHash } from "node:crypto";
import { assertSafe } from "../inspect/assert-safe.js";
import { FormatInspector } from "../inspect/inspector.js";
import { IMAGE_FORMATS, type ImageFormat } from "../inspect/types.js";
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

/**
 * Streams `body` into `store` as image `id`'s data. Throws `bad_request` (unsafe or mismatched
 * content), `payload_too_large` (over the store's limit) or the stream's own error; in each case
 * the staged bytes are removed and nothing is stored.
 */
export async function receiveImageData(
  store: ImageStore,
  id: string,
  diskFormat: string | null,
  body: AsyncIterable<Uint8Array>,
  options: { readonly allowRawContent?: boolean } = {},
): Promise<UploadResult> {
  const md5 = createHash("md5");
  const sha512 = createHash("sha512");
  const inspector = new FormatInspector();
  const staged = await store.begin(id);
  try {
    for await (const chunk of body) {
      md5.update(chunk);
      sha512.update(chunk);
      inspector.push(chunk);
      await staged.write(chunk);
    }
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
      checksum: md5.digest("hex"),
      osHashAlgo: "sha512",
      osHashValue: sha512.digest("hex"),
    };
  } catch (error) {
    await staged.abort();
    throw error;
  }
}
