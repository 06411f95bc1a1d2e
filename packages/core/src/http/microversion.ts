/**
 * Microversions as the API-WG specifies them and microversion_parse reads them:
 * `OpenStack-API-Version: compute 2.53` (several services may share one header, comma separated),
 * `latest`, a service's legacy header (`X-OpenStack-Nova-API-Version: 2.53`), the minimum when absent.
 */
import { z } from "zod";

const VERSION = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** A negotiated `major.minor` version: small, immutable and comparable. */
export class Microversion {
  private constructor(
    /** The major number (`2` in `2.53`). */
    readonly major: number,
    /** The minor number (`53` in `2.53`). */
    readonly minor: number,
  ) {}

  /** Parses `"2.53"`; null for anything else (`"2.053"`, `"2"`, `"latest"`). */
  static parse(text: string): Microversion | null {
    const m = VERSION.exec(text);
    return m ? new Microversion(Number(m[1]), Number(m[2])) : null;
  }

  /** Parses `"2.53"`; throws a TypeError for anything else (for versions written in code). */
  static of(text: string): Microversion {
    const v = Microversion.parse(text);
    if (v === null) throw new TypeError(`not a microversion: ${JSON.stringify(text)}`);
    return v;
  }

  /** Negative, zero or positive as this is older than, equal to or newer than `other`. */
  compare(other: Microversion | string): number {
    const o = typeof other === "string" ? Microversion.of(other) : other;
    return this.major - o.major || this.minor - o.minor;
  }

  /** True when this version is `v` or newer (`req.microversion.atLeast("2.53")`). */
  atLeast(v: Microversion | string): boolean {
    return this.compare(v) >= 0;
  }

  /** True when this version is `v` or older. */
  atMost(v: Microversion | string): boolean {
    return this.compare(v) <= 0;
  }

  /** True when `min <= this <= max`. */
  within(min: Microversion | string, max: Microversion | string): boolean {
    return this.atLeast(min) && this.atMost(max);
  }

  /** `"2.53"`. */
  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

const VersionString = z.string().regex(VERSION, "must be of the form major.minor, e.g. 2.1");

export const MicroversionConfigSchema = z
  .object({
    /** The service type named in the header: `compute`, `volume`, `placement`. */
    service: z.string().min(1),
    min: VersionString,
    max: VersionString,
    /** A service's own older header, e.g. Nova's `X-OpenStack-Nova-API-Version`. */
    legacyHeader: z.string().min(1).optional(),
  })
  .refine((c) => Microversion.of(c.min).atMost(c.max), { message: "min must not be newer than max" });
export type MicroversionConfig = z.input<typeof MicroversionConfigSchema>;

/** A service's supported range, parsed once. */
export interface MicroversionRange {
  /** The service type in the header. */
  readonly service: string;
  /** The oldest supported version, also the default when no header is sent. */
  readonly min: Microversion;
  /** The newest supported version, what `latest` means. */
  readonly max: Microversion;
  /** The legacy header as the service spells it, if it has one. */
  readonly legacyHeader: string | undefined;
  /** The legacy header lower-cased, as Node keys request headers (`""` when there is none). */
  readonly legacyHeaderKey: string;
}

/** Validates a config and parses its versions; throws a ZodError for a bad config. */
export function microversionRange(config: MicroversionConfig): MicroversionRange {
  const c = MicroversionConfigSchema.parse(config);
  return {
    service: c.service.toLowerCase(),
    min: Microversion.of(c.min),
    max: Microversion.of(c.max),
    legacyHeader: c.legacyHeader,
    legacyHeaderKey: c.legacyHeader?.toLowerCase() ?? "",
  };
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The raw version string the request asks for, or null when it names none for this service. */
export function requestedVersion(headers: Headers, range: MicroversionRange): string | null {
  const header = headers["openstack-api-version"];
  if (header !== undefined) {
    const joined = Array.isArray(header) ? header.join(",") : header;
    for (const entry of joined.split(",")) {
      const [service, version, ...rest] = entry.trim().split(/\s+/);
      if (service?.toLowerCase() === range.service && version !== undefined && rest.length === 0) return version;
    }
  }
  if (range.legacyHeader !== undefined) {
    const legacy = headers[range.legacyHeader.toLowerCase()];
    const value = Array.isArray(legacy) ? legacy[0] : legacy;
    if (value !== undefined && value.trim() !== "") return value.trim();
  }
  return null;
}

/** The outcome of negotiation: a version, or why there is none. */
export type Negotiation =
  | { readonly ok: true; readonly version: Microversion }
  | { readonly ok: false; readonly reason: "invalid" | "unacceptable"; readonly requested: string };

/** Negotiates the request's version within `range`. Pure; never throws. */
export function negotiate(headers: Headers, range: MicroversionRange): Negotiation {
  const requested = requestedVersion(headers, range);
  if (requested === null) return { ok: true, version: range.min };
  if (requested.toLowerCase() === "latest") return { ok: true, version: range.max };
  const version = Microversion.parse(requested);
  if (version === null) return { ok: false, reason: "invalid", requested };
  if (!version.within(range.min, range.max)) return { ok: false, reason: "unacceptable", requested };
  return { ok: true, version };
}

/** The response headers announcing `version` (plus the legacy header and `Vary` for both). */
export function versionHeaders(range: MicroversionRange, version: Microversion): Record<string, string> {
  const v = version.toString();
  if (range.legacyHeader === undefined) {
    return { "openstack-api-version": `${range.service} ${v}`, vary: "OpenStack-API-Version" };
  }
  return {
    "openstack-api-version": `${range.service} ${v}`,
    [range.legacyHeader]: v,
    vary: `OpenStack-API-Version, ${range.legacyHeader}`,
  };
}
