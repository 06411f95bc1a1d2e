/**
 * Structured logging (pino). Services log through a child logger per request that carries the
 * request id, so one request's lines can be found across services.
 *
 * ```ts
 * const log = createLogger({ name: "identity", level: "info" });
 * log.child({ requestId }).info({ userId }, "token issued");
 * ```
 */
import { type Logger, type LoggerOptions, pino } from "pino";
import { z } from "zod";

export type { Logger } from "pino";

export const LogLevelSchema = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export const LoggerConfigSchema = z.object({
  /** The component name written on every line (`identity`, `compute-api`, ...). */
  name: z.string().min(1).default("stratus"),
  level: LogLevelSchema.default("info"),
});
export type LoggerConfig = z.input<typeof LoggerConfigSchema>;

/**
 * A pino logger writing JSON lines to `destination` (stdout by default). Secrets are redacted
 * from the usual places (passwords, tokens, auth headers) so a debug log can be shared.
 */
export function createLogger(config: LoggerConfig = {}, destination?: pino.DestinationStream): Logger {
  const { name, level } = LoggerConfigSchema.parse(config);
  const options: LoggerOptions = {
    name,
    level,
    base: { name },
    redact: {
      paths: [
        "password",
        "*.password",
        "req.headers['x-auth-token']",
        "req.headers['x-subject-token']",
        "req.headers['x-service-token']",
        "req.headers.authorization",
      ],
      censor: "***",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing: the default for libraries used without a logger. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
