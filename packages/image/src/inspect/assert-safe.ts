/**
 * The gate before an image is stored or handed to qemu-img (always with `-f <format>`).
 */
import { badRequest } from "@stratus/core/errors";
import type { ImageFormat, Verdict } from "./types.js";

export interface AssertSafeOptions {
  /** The format the uploader declared (Glance's disk_format); `raw` also accepts an ISO. */
  readonly expectedFormat?: ImageFormat;
  /**
   * Let content that is plain raw (no container format recognized) pass under another declared
   * format, as Glance's `require_image_format_match = False` does. Content recognized as another
   * format is still a mismatch: that is the case that lets a qcow2 pass as raw. Default false.
   */
  readonly allowRawContent?: boolean;
}

/**
 * Returns when the verdict is safe and of the expected format; throws a `bad_request`
 * StratusError whose message gives every reason otherwise (details: `findings`, `format`).
 */
export function assertSafe(verdict: Verdict, options: AssertSafeOptions = {}): void {
  const reasons: string[] = [];
  const expected = options.expectedFormat;
  const tolerated =
    (expected === "raw" && verdict.format === "iso") || (options.allowRawContent === true && verdict.format === "raw");
  if (expected && expected !== verdict.format && !tolerated)
    reasons.push(`format-mismatch: the image was declared ${expected} but its content is ${verdict.format}`);
  for (const f of verdict.findings) if (f.severity === "reject") reasons.push(`${f.code}: ${f.reason}`);
  if (reasons.length === 0) return;
  throw badRequest(`Image rejected: ${reasons.join("; ")}.`, {
    details: { format: verdict.format, findings: verdict.findings },
  });
}
