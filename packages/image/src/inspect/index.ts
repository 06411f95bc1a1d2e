export { type AssertSafeOptions, assertSafe } from "./assert-safe.js";
export { type CaptureContext, MAX_CAPTURE, TAIL_CAPACITY } from "./capture.js";
export { FormatInspector } from "./inspector.js";
export { inspectFile, inspectStream } from "./io.js";
export type { FormatProbe, ProbeFactory, ProbeMatch, StreamEnd } from "./probe.js";
export { defaultProbes, ProbeRegistry } from "./registry.js";
export {
  DEFAULT_MAX_VIRTUAL_SIZE,
  FINDING_CODES,
  type Finding,
  type FindingCode,
  type FindingSeverity,
  IMAGE_FORMATS,
  type ImageFormat,
  type InspectorOptions,
  type Verdict,
} from "./types.js";
