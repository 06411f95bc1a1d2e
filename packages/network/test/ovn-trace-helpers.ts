/**
 * ovn-trace for integration tests: traces one packet through the logical flows ovn-northd
 * compiled into OVN_Southbound and says which logical ports it reaches.
 *
 * ```ts
 * const t = await ovnTrace(ovn.sb.unix, "neutron-<net id>", `inport == "<port>" && eth.src == … && udp`);
 * expect(t.output).toEqual(["<other port>"]);   // or expect(t.dropped).toBe(true)
 * ```
 * Call `ovn-nbctl --wait=sb sync` first so ovn-northd has compiled the latest NB changes.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What one traced packet did. */
export interface OvnTraceResult {
  /** logical ports the packet (or its copies) was output to, in trace order, without repeats */
  output: string[];
  /** true when no copy reached any logical port */
  dropped: boolean;
  /** ovn-trace's whole output, for failure messages */
  raw: string;
}

export interface OvnTraceOptions {
  /** `--minimal` (default) or `--summary` output, both parsed */
  detail?: "minimal" | "summary";
  /** conntrack states for ct_next, e.g. ["new"] (ovn-trace's `--ct`, repeatable); default none */
  ct?: readonly string[];
  /** milliseconds before the ovn-trace process is killed; default 20000 */
  timeoutMs?: number;
}

// --minimal prints `output("p");`, --summary a comment `/* output to "p", type "" */`.
const OUTPUT_PATTERNS = [/output\("([^"]+)"\)/g, /output to "([^"]+)"/g];

/** The logical ports named in an ovn-trace output, in order, each once. */
export function parseOvnTraceOutput(raw: string): string[] {
  const hits: { at: number; port: string }[] = [];
  for (const pattern of OUTPUT_PATTERNS) {
    for (const m of raw.matchAll(pattern)) hits.push({ at: m.index ?? 0, port: m[1] as string });
  }
  return [...new Set(hits.sort((a, b) => a.at - b.at).map((h) => h.port))];
}

/**
 * Runs `ovn-trace --db=<sbRemote> --minimal|--summary [--ct=…] <datapath> <microflow>`.
 * Throws when ovn-trace fails or rejects its input (it reports a bad flow or an unknown
 * datapath on stdout with exit status 0, so a result without the `# <flow>` header line is
 * an error too).
 */
export async function ovnTrace(
  sbRemote: string,
  datapath: string,
  microflow: string,
  options: OvnTraceOptions = {},
): Promise<OvnTraceResult> {
  const args = [
    `--db=${sbRemote}`,
    options.detail === "summary" ? "--summary" : "--minimal",
    "--no-friendly-names",
    ...(options.ct ?? []).map((state) => `--ct=${state}`),
    datapath,
    microflow,
  ];
  const { stdout, stderr } = await run("ovn-trace", args, { timeout: options.timeoutMs ?? 20_000 });
  if (!stdout.startsWith("# ")) {
    throw new Error(`ovn-trace ${datapath} refused "${microflow}": ${(stdout + stderr).trim()}`);
  }
  const output = parseOvnTraceOutput(stdout);
  return { output, dropped: output.length === 0, raw: stdout };
}
