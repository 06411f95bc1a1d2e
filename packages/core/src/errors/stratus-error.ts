import type { ErrorCode } from "./codes.js";

export interface StratusErrorOptions {
  /** The lower-level failure this error stands for (kept for logs, never sent to clients). */
  readonly cause?: unknown;
  /** Extra facts a fault body may carry (e.g. Neutron's `detail`, the filter trace of NoValidHost). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Whether the operation may succeed if simply retried (broker restart, lock timeout, lost race). */
  readonly retryable?: boolean;
}

/**
 * The one error type services throw. `message` is safe to show a client; `cause` is not sent.
 * Create instances with the helpers in `./index.ts` (`notFound(...)`, `conflict(...)`).
 */
export class StratusError extends Error {
  override readonly name = "StratusError";
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: StratusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? false;
  }

  /** True for any StratusError, across copies of this module loaded twice. */
  static is(value: unknown): value is StratusError {
    return (
      value instanceof StratusError ||
      (value instanceof Error &&
        value.name === "StratusError" &&
        typeof (value as { code?: unknown }).code === "string")
    );
  }
}
