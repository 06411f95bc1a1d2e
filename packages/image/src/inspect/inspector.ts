/**
 * FormatInspector: feed it an image's bytes as they arrive, get a verdict at the end.
 *
 * ```ts
 * const inspector = new FormatInspector();
 * for await (const chunk of upload) inspector.push(chunk);
 * const verdict = inspector.finish(); // { format: "qcow2", virtualSize, safe, findings, ... }
 * ```
 *
 * Every registered probe watches the stream; the engine keeps only the byte ranges they ask for
 * (headers, descriptors, tables) and the last 1536 bytes, never the image.
 */
import { formatSize } from "./bytes.js";
import { StreamCapture } from "./capture.js";
import { type FormatProbe, type ProbeMatch, reject } from "./probe.js";
import { defaultProbes, type ProbeRegistry } from "./registry.js";
import { DEFAULT_MAX_VIRTUAL_SIZE, type Finding, type InspectorOptions, type Verdict } from "./types.js";

export class FormatInspector {
  private readonly capture = new StreamCapture();
  private readonly probes: FormatProbe[];
  private readonly maxVirtualSize: number;
  private verdict: Verdict | undefined;

  constructor(options: InspectorOptions = {}, registry: ProbeRegistry = defaultProbes) {
    this.maxVirtualSize = options.maxVirtualSize ?? DEFAULT_MAX_VIRTUAL_SIZE;
    this.probes = registry.list().map((f) => f.create());
    for (const p of this.probes) p.start(this.capture);
  }

  /** Feeds the next chunk of the image. Throws once `finish` was called. */
  push(chunk: Uint8Array): void {
    if (this.verdict) throw new Error("FormatInspector.push after finish");
    if (chunk.length > 0) this.capture.push(chunk);
  }

  /** Bytes pushed so far. */
  get bytesSeen(): number {
    return this.capture.bytesSeen;
  }

  /** Bytes the inspector holds right now (captured ranges and the tail); bounded whatever the image size. */
  get retainedBytes(): number {
    return this.capture.retainedBytes;
  }

  /** Ends the stream and returns the verdict; idempotent (later calls return the same verdict). */
  finish(): Verdict {
    if (this.verdict) return this.verdict;
    const end = this.capture.finish();
    const matches = this.probes.map((p) => p.conclude(end)).filter((m) => m !== undefined);
    const base = combine(matches, end.size);
    const findings = [...base.findings];
    for (const [offset, length] of this.capture.missed)
      findings.push(
        reject(
          "metadata-not-streamable",
          `metadata at offset ${offset} (${length} bytes) was needed after it had streamed past`,
        ),
      );
    if (base.virtualSize > this.maxVirtualSize)
      findings.push(
        reject(
          "virtual-size-too-large",
          `the virtual size ${formatSize(base.virtualSize)} exceeds the limit of ${formatSize(this.maxVirtualSize)}`,
        ),
      );
    this.verdict = {
      ...base,
      actualSize: end.size,
      findings,
      safe: findings.every((f) => f.severity !== "reject"),
      bytesInspected: end.bytesInspected,
    };
    return this.verdict;
  }
}

type Combined = Omit<Verdict, "actualSize" | "safe" | "bytesInspected" | "findings"> & { findings: Finding[] };

/** One verdict out of every probe that matched: one container, or raw content, or a polyglot. */
function combine(matches: readonly ProbeMatch[], size: number): Combined {
  const containers = matches.filter((m) => m.layer === "container");
  const contents = matches.filter((m) => m.layer === "content");
  const primary = containers[0] ?? contents.find((m) => m.format === "iso") ?? contents[0];
  if (!primary) return { format: "raw", virtualSize: size, findings: [] };
  const findings = matches.flatMap((m) => m.findings);
  const names = matches.map((m) => (m.subformat && m.layer === "content" ? m.subformat : m.format));
  const polyglot = containers.length > 1 || (containers.length === 1 && contents.length > 0 && !primary.dataAtStart);
  if (polyglot)
    findings.push(
      reject(
        "polyglot",
        `the image matches more than one format (${names.join(", ")}); a tool that guesses the format could read it as another`,
      ),
    );
  const { layer: _layer, dataAtStart: _data, findings: _f, ...facts } = primary;
  return { ...facts, findings };
}
