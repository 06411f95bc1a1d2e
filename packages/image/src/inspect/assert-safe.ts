/**
 * The gate before an image is stored or handed to qemu-img (always with `-f <format>`).
 */
import { badRequest } from "@stratus/core/errors";
import type { ImageFormat, Verdict } from "./types.js";

export interface AssertSafeOptions {
  /** The format the uploader declared (Glance's disk_format); `raw` also accepts an ISO. */
  readonly expectedFormat?: ImageFormat;
}

/**
 * Returns when the verdict is safe and of the expected format; throws a `bad_request`
 * StratusError whose message gives every reason otherwise (details: `findings`, `format`).
 */
export function assertSafe(verdict: Verdict, options: AssertSafeOptions = {}): void {
  const reasons: string[] = [];
  const expected = options.expectedFormat;
  if (expected && expected !== verdict.format && !(expected === "raw" && verdict.format === "iso"))
    reasons.push(`format-mismatch: the image was declared ${expected} but its content is ${verdict.format}`);
  for (const f of verdict.findings) if (f.severity === "reject") reasons.push(`${f.code}: ${f.reason}`);
  if (reasons.length === 0) return;
  throw badRequest(`Image rejected: ${reasons.join("; ")}.`, {
    details: { format: verdict.format, findings: verdict.findings },
  });
}
