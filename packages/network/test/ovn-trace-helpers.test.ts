/**
 * The ovn-trace helper against real OVN: a two-port switch built with ovn-nbctl, a packet A→B
 * delivered to B, and one breaking A's port security dropped.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OvnConnection, useOvn } from "../../../scripts/harness/index.js";
import { ovnTrace, parseOvnTraceOutput } from "./ovn-trace-helpers.js";

const run = promisify(execFile);
let ovn: OvnConnection;
// The harness is shared by concurrent runs: every name is unique to this one.
const ls = `trace-helper-${process.pid}-${Date.now().toString(36)}`;
const portA = `${ls}-a`;
const portB = `${ls}-b`;
const MAC_A = "0a:00:00:00:00:01";
const MAC_B = "0a:00:00:00:00:02";

async function nbctl(...args: string[]): Promise<string> {
  return (await run("ovn-nbctl", [`--db=${ovn.nb.unix}`, ...args])).stdout;
}

const udpFrom = (ethSrc: string, ipSrc: string) =>
  `inport == "${portA}" && eth.src == ${ethSrc} && eth.dst == ${MAC_B} && ip4.src == ${ipSrc} && ` +
  "ip4.dst == 192.0.2.2 && ip.ttl == 64 && udp && udp.src == 4000 && udp.dst == 53";

beforeAll(async () => {
  ovn = await useOvn();
  await nbctl(
    "ls-add",
    ls,
    "--",
    "lsp-add",
    ls,
    portA,
    "--",
    "lsp-set-addresses",
    portA,
    `${MAC_A} 192.0.2.1`,
    "--",
    "lsp-set-port-security",
    portA,
    `${MAC_A} 192.0.2.1`,
    "--",
    "lsp-add",
    ls,
    portB,
    "--",
    "lsp-set-addresses",
    portB,
    `${MAC_B} 192.0.2.2`,
  );
  await nbctl("--wait=sb", "--timeout=20", "sync");
});
afterAll(async () => {
  if (ovn) await nbctl("--if-exists", "ls-del", ls);
});

describe("ovnTrace", () => {
  it.each([
    ["minimal", "a packet from A to B's MAC is output to B"],
    ["summary", "the summary form of the same trace is parsed to B as well"],
  ] as const)("(%s) %s", async (detail, _name) => {
    const t = await ovnTrace(ovn.sb.unix, ls, udpFrom(MAC_A, "192.0.2.1"), { detail });
    expect(t.output, t.raw).toEqual([portB]);
    expect(t.dropped).toBe(false);
  });

  it.each([
    ["a spoofed source MAC", "0a:00:00:00:00:99", "192.0.2.1"],
    ["a spoofed source IP", MAC_A, "192.0.2.99"],
  ])("drops a packet from A with %s (port security)", async (_name, mac, ip) => {
    const t = await ovnTrace(ovn.sb.unix, ls, udpFrom(mac, ip));
    expect(t.output, t.raw).toEqual([]);
    expect(t.dropped).toBe(true);
  });

  it("throws on a datapath ovn-trace does not know instead of reporting a drop", async () => {
    await expect(ovnTrace(ovn.sb.unix, `${ls}-missing`, udpFrom(MAC_A, "192.0.2.1"))).rejects.toThrow(
      /unknown datapath/,
    );
  });
});

describe("parseOvnTraceOutput", () => {
  it.each([
    ["minimal output lines", '# udp\noutput("p1");\nct_next {\n    output("p2");\n};\n', ["p1", "p2"]],
    ["summary comments", '# udp\n  /* output to "p1", type "" */;\n', ["p1"]],
    ["a trace that ends in a drop", "# udp\ndrop;\n", []],
  ])("reads the ports of %s", (_name, raw, ports) => {
    expect(parseOvnTraceOutput(raw)).toEqual(ports);
  });
});
