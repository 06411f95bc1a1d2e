/**
 * @stratus/core: the foundation every Stratus service package stands on.
 *
 * ```ts
 * import { createLogger, newUuid, parseConfig } from "@stratus/core";
 * import { notFound } from "@stratus/core/errors";
 * import { openDatabase } from "@stratus/core/db";
 * import { createInProcessBus } from "@stratus/core/bus";
 * import { createServiceApp } from "@stratus/core/http";
 * ```
 *
 * The root entry holds the small parts (config, logging, ids, errors); db, bus and http are
 * subpath entries so a user of one does not load the drivers of the others.
 */
export { type ConfigIssue, parseConfig } from "./config.js";
export {
  ERROR_CODES,
  type ErrorCode,
  isErrorCode,
  StratusError,
  type StratusErrorOptions,
  toStratusError,
} from "./errors/index.js";
export { isRequestId, isUuidLike, newHexId, newRequestId, newUuid, toDashedUuid } from "./ids.js";
export {
  createLogger,
  type Logger,
  type LoggerConfig,
  LoggerConfigSchema,
  type LogLevel,
  LogLevelSchema,
  silentLogger,
} from "./logging.js";
