/**
 * The `Range` header of an image download, read as Glance reads it (glance/common/wsgi.py
 * `get_range_from_request` on webob's `Range.parse`, then the download serializer's clipping):
 * one range only, a start inside the image, an end clipped to the image's last byte.
 */
import { badRequest, rangeNotSatisfiable } from "@stratus/core/errors";
import type { ByteRange } from "./store.js";

// webob's _rx_range, matched at the start only (trailing text is ignored, as webob does)
const RANGE = /^bytes *= *(\d*) *- *(\d*)/i;

/**
 * The bytes a `Range` header asks of an image of `size` bytes, both ends inclusive, or null
 * without a header. Throws `bad_request` for several ranges and `range_not_satisfiable` for a
 * malformed one or one that starts past the last byte. Pure.
 */
export function requestedRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  if (header.includes(","))
    throw badRequest(
      "Requests with multiple ranges are not supported in Glance. You may make multiple single-range requests instead.",
    );
  const match = RANGE.exec(header);
  const [, first = "", last = ""] = match ?? [];
  // webob gives up on `b-a` with a > b; `bytes=-` makes Glance fail with a 500, refused here instead
  if (match === null || (first === "" && last === "") || (first !== "" && last !== "" && Number(first) > Number(last)))
    throw rangeNotSatisfiable("Invalid Range header.");
  if (first === "") {
    // a suffix `bytes=-n`: the last n bytes, the whole image when n is not below the size
    const suffix = Number(last);
    if (suffix === 0 && size === 0) throw startPastEnd(size);
    const start = suffix > 0 && suffix < size ? size - suffix : 0;
    return { start, end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) throw startPastEnd(size);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return { start, end };
}

const startPastEnd = (size: number) =>
  rangeNotSatisfiable(
    `Invalid start position in Range header. Start position MUST be in the inclusive range [0, ${size - 1}].`,
  );

/** The `Content-Range` response header Glance sends for `range` of an image of `size` bytes. */
export const contentRange = (range: ByteRange, size: number): string => `bytes ${range.start}-${range.end}/${size}`;
