/**
 * Writes the body of GET /allocation_candidates straight from a CandidateSet, without building the
 * response objects first: the same text `JSON.stringify` gives for `materialize(set)` (key order
 * included). Pieces are appended to a short rope that is flattened every few hundred pieces,
 * and the flat chunks are joined once at the end: a rope of a whole 10 MB answer would be
 * hundreds of thousands of live objects for the garbage collector to copy.
 */
import type { CandidateSet } from "./candidate-set.js";
import { capacityOf } from "./model.js";
import type { ProviderNode } from "./provider-store.js";

/** The inside of a JSON string literal for `s`; printable ASCII without `"` or `\` is itself. */
export function escaped(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(s).slice(1, -1);
  }
  return s;
}

/** True for keys an object orders before all others (canonical array indexes, e.g. "0", "17"). */
export function isIndexKey(key: string): boolean {
  if (key.length === 0 || key.length > 10 || !/^(?:0|[1-9][0-9]*)$/.test(key)) return false;
  return Number(key) < 4294967295;
}

/** Text collected in flat chunks. */
class TextSink {
  private readonly chunks: string[] = [];
  private current = "";
  private pieces = 0;

  add(piece: string): void {
    this.current += piece;
    if (++this.pieces === 128) {
      // Reading a character flattens the rope in place; its pieces become garbage while young.
      this.current.charCodeAt(0);
      this.chunks.push(this.current);
      this.current = "";
      this.pieces = 0;
    }
  }

  text(): string {
    this.chunks.push(this.current);
    return this.chunks.join("");
  }
}

/** A request's `resources` object as JSON text. */
export function resourcesJson(res: ReadonlyArray<readonly [string, number]>): string {
  return `{${res.map(([rc, n]) => `"${escaped(rc)}":${n}`).join(",")}}`;
}

/**
 * Summaries as text per provider, valid while its generation, parent and root stand: Placement
 * bumps a provider's generation on every change to its inventories, traits or usages (claims,
 * reshapes); moving a provider (1.37 re-parenting) keeps the generation, so parent and root are
 * compared too. Never reused across restores (new records). Keyed weakly: a deleted provider's
 * entry goes with it.
 */
const summaryCache = new WeakMap<
  ProviderNode,
  { generation: number; parent: string | null; root: string; json: string }
>();

/** One provider summary (resources in inventory order, traits sorted), after its key. */
function summaryJson(node: ProviderNode): string {
  const hit = summaryCache.get(node);
  if (
    hit !== undefined &&
    hit.generation === node.generation &&
    hit.parent === node.parentUuid &&
    hit.root === node.rootUuid
  ) {
    return hit.json;
  }
  const json = buildSummaryJson(node);
  // Flattened once here, so the answer that includes it copies one piece, not a rope.
  json.charCodeAt(0);
  summaryCache.set(node, { generation: node.generation, parent: node.parentUuid, root: node.rootUuid, json });
  return json;
}

/** One provider summary as JSON text, uncached. */
export function buildSummaryJson(node: ProviderNode): string {
  let out = '{"resources":{';
  let first = true;
  for (const [rc, inv] of node.inventories) {
    out += `${first ? '"' : ',"'}${escaped(rc)}":{"capacity":${capacityOf(inv)},"used":${node.usages.get(rc) ?? 0}}`;
    first = false;
  }
  out += '},"traits":[';
  if (node.traits.size > 0)
    out += [...node.traits]
      .sort()
      .map((t) => `"${escaped(t)}"`)
      .join(",");
  if (node.parentUuid === null) out += '],"parent_provider_uuid":null,"root_provider_uuid":"';
  else out += `],"parent_provider_uuid":"${escaped(node.parentUuid)}","root_provider_uuid":"`;
  return `${out}${escaped(node.rootUuid)}"}`;
}

/**
 * The JSON body for `set`, or undefined when a provider UUID looks like an array index (an
 * object would reorder it; the caller then stringifies the materialized objects instead).
 */
export function candidatesJson(set: CandidateSet): string | undefined {
  const count = set.count;
  const width = set.slots.length;
  const suffixKeys = set.suffixOrder.map((s) => `"${escaped(s)}":["`);
  // A single-provider request is constant text with the provider's UUID in (1 + suffixes) holes.
  const afterUuid = `":{"resources":${resourcesJson(set.summedResources)}}},"mappings":{${suffixKeys[0]}`;
  const between = suffixKeys.map((k) => `"],${k}`);
  const out = new TextSink();
  out.add('{"allocation_requests":[');
  for (let r = 0; r < count; r++) {
    const head = r === 0 ? '{"allocations":{"' : ',{"allocations":{"';
    if (set.singleProvider(r)) {
      const uuid = set.picks[r * width]!.uuid;
      if (isIndexKey(uuid)) return undefined;
      const u = escaped(uuid);
      let tail = "";
      for (let k = 1; k < between.length; k++) tail += between[k]! + u;
      out.add(`${head}${u}${afterUuid}${u}${tail}"]}}`);
      continue;
    }
    let request = "";
    const allocations = set.allocationsOf(r);
    for (let a = 0; a < allocations.length; a++) {
      const [node, res] = allocations[a]!;
      if (isIndexKey(node.uuid)) return undefined;
      request += `${a === 0 ? head : ',"'}${escaped(node.uuid)}":{"resources":${resourcesJson(res)}}`;
    }
    request += '},"mappings":{';
    for (let k = 0; k < suffixKeys.length; k++) {
      const uuids = set.mappedOf(r, k).map((n) => escaped(n.uuid));
      request += `${k === 0 ? "" : ","}${suffixKeys[k]}${uuids.join('","')}"]`;
    }
    out.add(`${request}}}`);
  }
  out.add('],"provider_summaries":{');
  const providers = set.providers;
  for (let i = 0; i < providers.length; i++) {
    const node = providers[i]!;
    if (isIndexKey(node.uuid)) return undefined;
    out.add(`${i === 0 ? '"' : ',"'}${escaped(node.uuid)}":${summaryJson(node)}`);
  }
  out.add("}}");
  return out.text();
}
