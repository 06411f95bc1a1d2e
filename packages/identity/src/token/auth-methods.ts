import { badRequest } from "@stratus/core/errors";
import { tokenFailure } from "./failures.js";

/** Keystone's default `[auth] methods` (keystone/conf/constants.py `_DEFAULT_AUTH_METHODS`), in order. */
export const KEYSTONE_AUTH_METHODS = [
  "external",
  "password",
  "token",
  "oauth1",
  "mapped",
  "application_credential",
] as const;

/** Bits Keystone reserves for methods that are not plugins (`_PSEUDO_METHOD_BITS`). */
const PSEUDO_METHOD_BITS: ReadonlyArray<readonly [number, string]> = [
  [2 ** 32, "ec2credential"],
  [2 ** 33, "oauth2_credential"],
];

/**
 * The methods bitmask of a token payload: the n-th configured method is bit 2^n, as Keystone's
 * `construct_method_map_from_config`. Issuer and validator must be configured with the same list.
 */
export class AuthMethodTable {
  readonly #byName = new Map<string, number>();
  /** Bits in descending order, the order Keystone lists decoded methods in. */
  readonly #descending: ReadonlyArray<readonly [number, string]>;

  /** Throws `bad_request` for duplicate names or more than 32 methods. */
  constructor(methods: readonly string[] = KEYSTONE_AUTH_METHODS) {
    if (methods.length > 32) throw badRequest("At most 32 auth methods fit below Keystone's pseudo-method bits.");
    const entries: Array<readonly [number, string]> = methods.map((m, i) => [2 ** i, m] as const);
    entries.push(...PSEUDO_METHOD_BITS);
    for (const [bit, name] of entries) {
      if (this.#byName.has(name)) throw badRequest(`Auth method ${name} is listed twice.`);
      this.#byName.set(name, bit);
    }
    this.#descending = entries.sort((a, b) => b[0] - a[0]);
  }

  /** The bitmask of `methods` (order and repeats do not matter). Throws `bad_request` for an unknown method. */
  toBits(methods: readonly string[]): number {
    let bits = 0;
    for (const name of new Set(methods)) {
      const bit = this.#byName.get(name);
      if (bit === undefined) throw badRequest(`Auth method ${name} is not one of the configured auth methods.`);
      bits += bit;
    }
    return bits;
  }

  /**
   * The method names of `bits`, highest bit first (as Keystone returns them). Throws
   * `unauthorized` (reason "malformed") when a set bit names no configured method.
   */
  fromBits(bits: number): string[] {
    if (!Number.isSafeInteger(bits) || bits < 0)
      throw tokenFailure("malformed", "The token's methods are not a bitmask.");
    const methods: string[] = [];
    let rest = bits;
    for (const [bit, name] of this.#descending) {
      if (rest >= bit && Math.floor(rest / bit) % 2 === 1) {
        methods.push(name);
        rest -= bit;
      }
    }
    if (rest !== 0) throw tokenFailure("malformed", `The token's methods bitmask ${bits} names unconfigured methods.`);
    return methods;
  }
}
