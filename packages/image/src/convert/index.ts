export { convertToRaw, RAW_CONVERTIBLE_FORMATS } from "./convert.js";
export { convertRawToQcow2, type RawToQcow2Options } from "./raw-to-qcow2.js";
export type {
  ConvertInput,
  ConvertOutput,
  ConvertProgress,
  ConvertResult,
  ConvertToRawOptions,
  RandomAccessSource,
  SourceFormat,
} from "./types.js";
