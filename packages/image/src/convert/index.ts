export { convertToRaw, RAW_CONVERTIBLE_FORMATS } from "./convert.js";
export type {
  ConvertInput,
  ConvertOutput,
  ConvertProgress,
  ConvertResult,
  ConvertToRawOptions,
  RandomAccessSource,
  SourceFormat,
} from "./types.js";
