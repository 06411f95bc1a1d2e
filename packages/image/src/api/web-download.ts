/**
 * The `web-download` import method's fetch, hardened against server-side request forgery:
 * Glance's URI filters (schemes, hosts, ports), and our rule that every hop's resolved address
 * must not be loopback, link-local, unspecified, multicast or (unless allowed) private, unless the
 * host is explicitly allowed. The connection goes to the address that was checked (the resolver
 * is asked once per hop, so DNS rebinding cannot swap it), redirects are followed by hand and
 * re-checked, and size and time are bounded.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { badRequest, payloadTooLarge, StratusError } from "@stratus/core/errors";

/** Glance's `import_filtering_opts`, plus our address rules and limits. */
export interface WebDownloadOptions {
  /** Schemes allowed (default `["http", "https"]`); when set, `disallowedSchemes` is ignored. */
  readonly allowedSchemes?: readonly string[];
  readonly disallowedSchemes?: readonly string[];
  /** Hosts allowed (default: any); an allowed host also skips the address rules. */
  readonly allowedHosts?: readonly string[];
  readonly disallowedHosts?: readonly string[];
  /**
   * Hosts exempt from the address rules (loopback, link-local, private) without restricting the
   * others, unlike `allowedHosts`: e.g. a mirror on the same machine.
   */
  readonly trustedHosts?: readonly string[];
  /** Ports allowed (default `[80, 443]`); when set, `disallowedPorts` is ignored. */
  readonly allowedPorts?: readonly number[];
  readonly disallowedPorts?: readonly number[];
  /** Accept private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7); default false. */
  readonly allowPrivateAddresses?: boolean;
  /** Redirects followed at most (default 3). */
  readonly maxRedirects?: number;
  /** Largest body in bytes (default: no limit here, the staging store's own applies). */
  readonly maxBytes?: number;
  /** Milliseconds without any byte (connect, headers or body) before giving up (default 30 s). */
  readonly idleTimeoutMs?: number;
  /** Milliseconds for the whole download (default 1 hour). */
  readonly totalTimeoutMs?: number;
  /** The resolver (default `dns.lookup`, all addresses); tests replace it. */
  readonly resolve?: (host: string) => Promise<readonly { address: string; family: number }[]>;
}

/** A download under way: the body as chunks, and the length the server declared. */
export interface WebDownload {
  readonly body: AsyncIterable<Uint8Array>;
  /** Content-Length of the final response, or null. */
  readonly declaredSize: number | null;
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443 };

const ALWAYS_BLOCKED = new BlockList();
ALWAYS_BLOCKED.addSubnet("0.0.0.0", 8, "ipv4"); // unspecified / this network
ALWAYS_BLOCKED.addSubnet("127.0.0.0", 8, "ipv4"); // loopback
ALWAYS_BLOCKED.addSubnet("169.254.0.0", 16, "ipv4"); // link-local (cloud metadata)
ALWAYS_BLOCKED.addSubnet("224.0.0.0", 4, "ipv4"); // multicast
ALWAYS_BLOCKED.addSubnet("240.0.0.0", 4, "ipv4"); // reserved and broadcast
ALWAYS_BLOCKED.addAddress("::", "ipv6");
ALWAYS_BLOCKED.addAddress("::1", "ipv6");
ALWAYS_BLOCKED.addSubnet("fe80::", 10, "ipv6");
ALWAYS_BLOCKED.addSubnet("ff00::", 8, "ipv6");
const PRIVATE = new BlockList();
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("100.64.0.0", 10, "ipv4");
PRIVATE.addSubnet("fc00::", 7, "ipv6");

/** Strips the brackets of an IPv6 URL host and lower-cases it. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, "").toLowerCase();

/** Why `address` may not be fetched from, or null when it may. */
export function addressRefusal(address: string, options: WebDownloadOptions = {}): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (ALWAYS_BLOCKED.check(ip, family)) return `the address ${address} is loopback, link-local or reserved`;
  if (!options.allowPrivateAddresses && PRIVATE.check(ip, family)) return `the address ${address} is private`;
  return null;
}

/** Whether `host` skips the address rules: explicitly allowed or trusted. */
const exempt = (host: string, options: WebDownloadOptions): boolean =>
  (options.allowedHosts ?? []).includes(host) || (options.trustedHosts ?? []).includes(host);

/**
 * Glance's `validate_import_uri` with its defaults, plus: a literal IP address (encoded numeric
 * hosts such as `2130706433` are parsed to one) must pass `addressRefusal` unless the host is
 * explicitly allowed, and credentials in the URL are refused. Returns the reason, or null.
 */
export function uriRefusal(uri: string, options: WebDownloadOptions = {}): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "it is not a valid URL";
  }
  const scheme = url.protocol.slice(0, -1);
  const allowedSchemes = options.allowedSchemes ?? ["http", "https"];
  if (allowedSchemes.length > 0 ? !allowedSchemes.includes(scheme) : options.disallowedSchemes?.includes(scheme))
    return `the scheme ${scheme} is not allowed`;
  if (DEFAULT_PORTS[url.protocol] === undefined) return `the scheme ${scheme} is not supported`;
  if (url.username !== "" || url.password !== "") return "credentials in the URL are not allowed";
  const host = hostOf(url);
  const allowedHosts = options.allowedHosts ?? [];
  // WHATWG URL parsing already turns encoded numeric hosts (2130706433, 0x7f000001, 127.1) into dotted IPv4
  if (host === "") return "the URL has no host";
  if (allowedHosts.length > 0 ? !allowedHosts.includes(host) : options.disallowedHosts?.includes(host))
    return `the host ${host} is not allowed`;
  const port = url.port === "" ? (DEFAULT_PORTS[url.protocol] as number) : Number(url.port);
  const allowedPorts = options.allowedPorts ?? [80, 443];
  if (allowedPorts.length > 0 ? !allowedPorts.includes(port) : options.disallowedPorts?.includes(port))
    return `the port ${port} is not allowed`;
  if (isIP(host) !== 0 && !exempt(host, options)) return addressRefusal(host, options);
  return null;
}

/** The address to connect to for `url`: resolved once, every answer checked. */
async function checkedAddress(url: URL, options: WebDownloadOptions): Promise<{ address: string; family: number }> {
  const host = hostOf(url);
  const resolve = options.resolve ?? ((h: string) => dnsLookup(h, { all: true, verbatim: true }));
  let answers: readonly { address: string; family: number }[];
  try {
    answers = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch (cause) {
    throw badRequest(`Cannot resolve the host ${host} of ${url.href}.`, { cause });
  }
  const first = answers[0];
  if (first === undefined) throw badRequest(`Cannot resolve the host ${host} of ${url.href}.`);
  if (!exempt(host, options)) {
    // every answer must pass: a client library could otherwise be steered to a bad one
    for (const answer of answers) {
      const why = addressRefusal(answer.address, options);
      if (why !== null) throw badRequest(`Refusing to download from ${url.href}: ${why}.`);
    }
  }
  return first;
}

/** Sends one GET to the checked address; resolves with the response head. */
function get(url: URL, pinned: { address: string; family: number }, options: WebDownloadOptions, signal: AbortSignal) {
  // the socket connects to the checked address; Host and TLS name stay the URL's
  const lookup: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as (e: null, a: object[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<{ response: IncomingMessage; request: ClientRequest }>((resolve, reject) => {
    const request = send(url, { method: "GET", lookup, signal, headers: { "user-agent": "stratus-glance" } });
    request.setTimeout(options.idleTimeoutMs ?? 30_000, () =>
      request.destroy(badRequest(`Downloading ${url.href} timed out.`)),
    );
    request.once("response", (response) => resolve({ response, request }));
    request.once("error", (cause) => reject(wrapNetError(url, cause)));
    request.end();
  });
}

const wrapNetError = (url: URL, cause: unknown): Error =>
  StratusError.is(cause)
    ? cause
    : badRequest(`Failed to download ${url.href}: ${cause instanceof Error ? cause.message : String(cause)}.`, {
        cause,
      });

/**
 * Starts downloading `uri`, following at most `maxRedirects` redirects, each hop checked by
 * `uriRefusal` and its resolved address by `addressRefusal`. Throws `bad_request` for a refused
 * URI or redirect, a failed connection, a non-200 answer or a timeout, and `payload_too_large`
 * (also while the body streams) past `maxBytes`. `signal` cancels it.
 */
export async function startWebDownload(
  uri: string,
  options: WebDownloadOptions = {},
  signal?: AbortSignal,
): Promise<WebDownload> {
  const total = AbortSignal.timeout(options.totalTimeoutMs ?? 3_600_000);
  const abort = signal ? AbortSignal.any([signal, total]) : total;
  let url = new URL(uri);
  for (let hop = 0; ; hop++) {
    const why = uriRefusal(url.href, options);
    if (why !== null)
      throw badRequest(
        hop === 0 ? `Refusing to download from ${url.href}: ${why}.` : `Redirect to disallowed URL: ${url.href}`,
      );
    const pinned = await checkedAddress(url, options);
    const { response } = await get(url, pinned, options, abort);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location !== undefined) {
      response.destroy();
      if (hop >= (options.maxRedirects ?? 3)) throw badRequest(`Too many redirects downloading ${uri}.`);
      url = new URL(location, url);
      continue;
    }
    if (status !== 200) {
      response.destroy();
      throw badRequest(`Failed to download ${url.href}: HTTP ${status} ${response.statusMessage ?? ""}`.trimEnd());
    }
    const length = response.headers["content-length"];
    const declaredSize = length === undefined || !/^\d+$/.test(length) ? null : Number(length);
    const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
    if (declaredSize !== null && declaredSize > max) {
      response.destroy();
      throw tooLarge();
    }
    return { body: limited(response, max, url), declaredSize };
  }
}

const tooLarge = () => payloadTooLarge("The incoming image is too large: The provided image is too large.");

async function* limited(response: IncomingMessage, max: number, url: URL): AsyncIterable<Uint8Array> {
  let seen = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      seen += chunk.byteLength;
      if (seen > max) throw tooLarge();
      yield chunk;
    }
  } catch (error) {
    throw wrapNetError(url, error);
  } finally {
    response.destroy();
  }
}
