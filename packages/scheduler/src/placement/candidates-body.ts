/**
 * Writes the body of GET /allocation_candidates as bytes, straight into one Buffer: the same bytes
 * as the UTF-8 encoding of `candidatesJson` (and so of `JSON.stringify(materialize(set))`).
 * Constant pieces are encoded once per answer and copied; UUIDs and other variable text are
 * UTF-8-written in place; provider summaries are cached as bytes per provider, on the same terms
 * as the text cache. No string of the whole answer is built, joined or encoded.
 */
import type { CandidateSet } from "./candidate-set.js";
import { buildSummaryJson, escaped, isIndexKey, resourcesJson } from "./candidates-json.js";
import type { ProviderNode } from "./provider-store.js";

/**
 * Where the writer gets its memory. A caller that sends the body and then no longer needs it
 * can hand out buffers it reuses (fresh memory of a few MB costs page faults on every answer).
 */
export interface BodyBuffers {
  /** A buffer of at least `size` bytes, wholly the writer's until the caller takes it back. */
  take(size: number): Buffer;
}

/** Fresh memory every time, never a slice of Node's shared pool. */
export const freshBuffers: BodyBuffers = { take: (size) => Buffer.allocUnsafeSlow(size) };

/** A growable byte buffer written from the front. */
export class ByteSink {
  private buf: Buffer;
  private pos = 0;

  constructor(
    size: number,
    private readonly buffers: BodyBuffers = freshBuffers,
  ) {
    this.buf = buffers.take(Math.max(size, 1024));
  }

  /** Appends the UTF-8 bytes of `s`. */
  text(s: string): void {
    // At most three bytes per UTF-16 unit (a surrogate pair is four bytes for two units); the
    // exact count only when that bound does not fit.
    if (this.pos + s.length * 3 > this.buf.length) {
      const need = Buffer.byteLength(s, "utf8");
      if (this.pos + need > this.buf.length) this.grow(need);
    }
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /** Appends `b` as is. */
  bytes(b: Uint8Array): void {
    if (this.pos + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The bytes written so far (a view: the sink is done with). */
  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private grow(need: number): void {
    const next = this.buffers.take(Math.max(this.buf.length * 2, this.pos + need));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/**
 * `"uuid":{summary}` as UTF-8 per provider, valid while its generation, parent and root stand
 * (see the text cache in candidates-json.ts for why those three). Keyed weakly.
 */
const summaryBytes = new WeakMap<
  ProviderNode,
  { generation: number; parent: string | null; root: string; bytes: Buffer }
>();

function summaryOf(node: ProviderNode): Buffer {
  const hit = summaryBytes.get(node);
  if (
    hit !== undefined &&
    hit.generation === node.generation &&
    hit.parent === node.parentUuid &&
    hit.root === node.rootUuid
  ) {
    return hit.bytes;
  }
  const bytes = Buffer.from(`"${escaped(node.uuid)}":${buildSummaryJson(node)}`, "utf8");
  summaryBytes.set(node, { generation: node.generation, parent: node.parentUuid, root: node.rootUuid, bytes });
  return bytes;
}

/** Bytes a single-provider request and a summary take, about: sizes the buffer once in the common case. */
function sizeHint(set: CandidateSet, constant: number): number {
  return set.count * (constant + 40 * set.suffixOrder.length + 40) + set.providers.length * 320 + 64;
}

const COMMA = Buffer.from(",");

/**
 * The JSON body for `set` as bytes (a view of memory from `buffers`), or undefined when a provider UUID looks like an array index
 * (an object would reorder it; the caller then stringifies the materialized objects instead).
 */
export function candidatesBody(set: CandidateSet, buffers?: BodyBuffers): Buffer | undefined {
  const suffixKeys = set.suffixOrder.map((s) => `"${escaped(s)}":["`);
  const request = new SingleProviderRequest(set, suffixKeys);
  const out = new ByteSink(sizeHint(set, request.constantBytes), buffers);
  out.text('{"allocation_requests":[');
  if (!writeRequests(set, suffixKeys, request, out)) return undefined;
  out.text('],"provider_summaries":{');
  if (!writeSummaries(set.providers, out)) return undefined;
  out.text("}}");
  return out.done();
}

/** A single-provider request: constant bytes with the provider's UUID in (1 + suffixes) holes. */
class SingleProviderRequest {
  private readonly first = Buffer.from('{"allocations":{"');
  private readonly next = Buffer.from(',{"allocations":{"');
  private readonly afterUuid: Buffer;
  private readonly between: Buffer[];
  private readonly close = Buffer.from('"]}}');
  /** Bytes of one request apart from its UUIDs. */
  readonly constantBytes: number;

  constructor(set: CandidateSet, suffixKeys: readonly string[]) {
    const resources = resourcesJson(set.summedResources);
    this.afterUuid = Buffer.from(`":{"resources":${resources}}},"mappings":{${suffixKeys[0]}`, "utf8");
    this.between = suffixKeys.slice(1).map((k) => Buffer.from(`"],${k}`, "utf8"));
    this.constantBytes =
      this.next.length + this.afterUuid.length + this.close.length + this.between.reduce((n, b) => n + b.length, 0);
  }

  /** Writes request number `r` (the first has no leading comma) for the provider `uuid`, escaped. */
  write(out: ByteSink, r: number, u: string): void {
    out.bytes(r === 0 ? this.first : this.next);
    out.text(u);
    out.bytes(this.afterUuid);
    out.text(u);
    for (let k = 0; k < this.between.length; k++) {
      out.bytes(this.between[k]!);
      out.text(u);
    }
    out.bytes(this.close);
  }
}

/** Writes every allocation request; false when a UUID looks like an array index. */
function writeRequests(
  set: CandidateSet,
  suffixKeys: readonly string[],
  single: SingleProviderRequest,
  out: ByteSink,
): boolean {
  const count = set.count;
  const width = set.slots.length;
  const picks = set.picks;
  for (let r = 0; r < count; r++) {
    if (set.singleProvider(r)) {
      const uuid = picks[r * width]!.uuid;
      if (isIndexKey(uuid)) return false;
      single.write(out, r, escaped(uuid));
      continue;
    }
    const text = requestJson(set, suffixKeys, r);
    if (text === undefined) return false;
    out.text(text);
  }
  return true;
}

/** A request that takes from several providers, as text (rare in flat clouds: not worth bytes). */
function requestJson(set: CandidateSet, suffixKeys: readonly string[], r: number): string | undefined {
  let request = "";
  const allocations = set.allocationsOf(r);
  for (let a = 0; a < allocations.length; a++) {
    const [node, res] = allocations[a]!;
    if (isIndexKey(node.uuid)) return undefined;
    const head = a > 0 ? ',"' : r === 0 ? '{"allocations":{"' : ',{"allocations":{"';
    request += `${head}${escaped(node.uuid)}":{"resources":${resourcesJson(res)}}`;
  }
  request += '},"mappings":{';
  for (let k = 0; k < suffixKeys.length; k++) {
    const uuids = set.mappedOf(r, k).map((n) => escaped(n.uuid));
    request += `${k === 0 ? "" : ","}${suffixKeys[k]}${uuids.join('","')}"]`;
  }
  return `${request}}}`;
}

/** Writes every provider summary; false when a UUID looks like an array index. */
function writeSummaries(providers: readonly ProviderNode[], out: ByteSink): boolean {
  for (let i = 0; i < providers.length; i++) {
    const node = providers[i]!;
    if (isIndexKey(node.uuid)) return false;
    if (i > 0) out.bytes(COMMA);
    out.bytes(summaryOf(node));
  }
  return true;
}
