/**
 * Helpers that run a FormatInspector over a file or any stream of bytes.
 */
import { createReadStream } from "node:fs";
import { FormatInspector } from "./inspector.js";
import type { InspectorOptions, Verdict } from "./types.js";

/** Inspects every chunk of an async iterable (a Node Readable, a web ReadableStream, a generator). */
export async function inspectStream(
  source: AsyncIterable<Uint8Array | string>,
  options: InspectorOptions = {},
): Promise<Verdict> {
  const inspector = new FormatInspector(options);
  for await (const chunk of source) {
    if (typeof chunk === "string") throw new TypeError("inspectStream needs bytes, got a string chunk");
    inspector.push(chunk);
  }
  return inspector.finish();
}

/** Inspects a file by streaming it once from start to end; rejects with the file system's error. */
export function inspectFile(path: string, options: InspectorOptions = {}): Promise<Verdict> {
  return inspectStream(createReadStream(path, { highWaterMark: 1024 * 1024 }), options);
}
