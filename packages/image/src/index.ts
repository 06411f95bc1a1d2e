/**
 * @stratus/image: Glance's primitives. Today: the streaming, safe image format inspector.
 *
 * ```ts
 * import { assertSafe, inspectFile } from "@stratus/image";
 * const verdict = await inspectFile("disk.qcow2");
 * assertSafe(verdict, { expectedFormat: "qcow2" }); // throws bad_request with every reason
 * console.log(verdict.format, verdict.virtualSize, verdict.clusterSize);
 * await convertToRaw("disk.qcow2", "disk.raw", { format: "qcow2" }); // streaming, sparse output
 * ```
 *
 * The Glance v2 API's routes are in `@stratus/image/api` (`registerImageRoutes`).
 */
export {
  type ConvertInput,
  type ConvertOutput,
  type ConvertProgress,
  type ConvertResult,
  type ConvertToRawOptions,
  convertRawToQcow2,
  convertToRaw,
  RAW_CONVERTIBLE_FORMATS,
  type RandomAccessSource,
  type RawToQcow2Options,
  type SourceFormat,
} from "./convert/index.js";
export {
  type AssertSafeOptions,
  assertSafe,
  DEFAULT_MAX_VIRTUAL_SIZE,
  FINDING_CODES,
  type Finding,
  type FindingCode,
  type FindingSeverity,
  FormatInspector,
  IMAGE_FORMATS,
  type ImageFormat,
  type InspectorOptions,
  inspectFile,
  inspectStream,
  type Verdict,
} from "./inspect/index.js";
