/**
 * librados/librbd report failures as negative errno values; this turns them into typed errors
 * that carry the errno name (`ENOENT`, `EEXIST`, `EBUSY`, ...), so callers switch on `code`.
 */
import { constants } from "node:os";
import { getSystemErrorMap } from "node:util";

// libuv's map has messages but only the errnos libuv uses (no EDOM, ENOTEMPTY is there, ...);
// os.constants.errno has every name the platform defines. The first name of a number wins
// (EAGAIN before EWOULDBLOCK).
const MESSAGES = getSystemErrorMap();
const NAMES = new Map<number, string>();
for (const [errorName, value] of Object.entries(constants.errno)) if (!NAMES.has(value)) NAMES.set(value, errorName);

/** A librados/librbd call failed. `code` is the errno name, `errno` its positive number. */
export class RadosError extends Error {
  override readonly name = "RadosError";
  /** The errno name, e.g. `ENOENT`; `E<number>` when Node does not know the number. */
  readonly code: string;
  /** The positive errno number. */
  readonly errno: number;
  /** The C function that failed, e.g. `rbd_open`. */
  readonly op: string;

  constructor(op: string, errno: number, detail?: string) {
    const code = NAMES.get(errno) ?? `E${errno}`;
    const text = MESSAGES.get(-errno)?.[1] ?? `errno ${errno}`;
    super(`${op}${detail ? ` (${detail})` : ""}: ${code} (${text})`);
    this.code = code;
    this.errno = errno;
    this.op = op;
  }
}

/** True when `error` is a RadosError with the given errno name. */
export function isRadosError(error: unknown, code?: string): error is RadosError {
  return error instanceof RadosError && (code === undefined || error.code === code);
}

/**
 * Returns `ret` when it is not negative; otherwise throws the RadosError for `-ret`.
 * librbd's ssize_t results may come back as bigint, hence the conversion.
 */
export function check(op: string, ret: number | bigint, detail?: string): number {
  const value = Number(ret);
  if (value < 0) throw new RadosError(op, -value, detail);
  return value;
}
