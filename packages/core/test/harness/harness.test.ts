/**
 * The real-component harness itself: each component comes up, is really there (we talk to it
 * with its own tools and, for OVSDB, with raw JSON-RPC), `up` is idempotent and quick when
 * already up, a crash is recovered by the next `up`, and `down` then `up` works.
 *
 * These tests stop and restart components on purpose, so they use their own harness directory
 * (<harness dir>/selftest) and their own ports: other test runs in the same checkout keep theirs.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CephConnection,
  down,
  harnessDir,
  isUp,
  type LibvirtConnection,
  markedComponents,
  type OvnConnection,
  useCeph,
  useLibvirt,
  useOvn,
} from "../../../../scripts/harness/index.js";

function sh(cmd: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 8 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(" ")}: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

/** Resident set size of a process in KiB (0 when it is gone). */
async function rssKiB(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** True while the process runs (a zombie nobody has reaped yet counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/** One JSON-RPC request over TCP; OVSDB frames are bare JSON values back to back. */
function ovsdbRequest(
  host: string,
  port: number,
  method: string,
  params: unknown[],
): Promise<{ result: unknown; error: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buffer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${method} from ${host}:${port}`));
    }, 5_000);
    socket.on("connect", () => socket.write(JSON.stringify({ id: 1, method, params })));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      try {
        const reply = JSON.parse(buffer) as { id: unknown; result: unknown; error: unknown };
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      } catch {
        // incomplete: wait for more bytes
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

const SELFTEST_ENV: Record<string, string> = {
  STRATUS_HARNESS_DIR: path.join(harnessDir(), "selftest"),
  STRATUS_OVN_NB_PORT: "26641",
  STRATUS_OVN_SB_PORT: "26642",
  STRATUS_OVN_NB_RAFT_PORT: "26643",
  STRATUS_OVN_SB_RAFT_PORT: "26644",
  STRATUS_CEPH_MON_PORT: "26789",
  STRATUS_CEPH_PORT_MIN: "26800",
  STRATUS_CEPH_PORT_MAX: "26899",
};
const savedEnv: Record<string, string | undefined> = {};
const figures: string[] = [];

beforeAll(() => {
  for (const [k, v] of Object.entries(SELFTEST_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  if (figures.length) console.log(`[harness figures]\n  ${figures.join("\n  ")}`);
  // the global teardown looks after the main harness directory only
  if (process.env.STRATUS_HARNESS_KEEP !== "1") for (const c of ["ovn", "ceph", "libvirt"] as const) await down(c);
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("OVN", () => {
  let ovn: OvnConnection;
  let coldMs = 0;

  beforeAll(async () => {
    // a run that starts from whatever state: make this a cold start
    await down("ovn");
    [ovn, coldMs] = await timed(() => useOvn({ clustered: false }));
  });

  it("serves NB and SB over unix sockets and TCP, with northd translating", async () => {
    const nbctl = (...args: string[]) => sh("ovn-nbctl", [`--db=${ovn.nb.unix}`, "--timeout=10", ...args]);
    await nbctl("ls-add", "sw-harness");
    expect(await nbctl("ls-list")).toContain("sw-harness");
    // the same switch seen over TCP, then northd has turned it into a Datapath_Binding
    expect(await sh("ovn-nbctl", [`--db=${ovn.nb.tcp}`, "ls-list"])).toContain("sw-harness");
    await nbctl("--wait=sb", "sync");
    expect(
      await sh("ovn-sbctl", [`--db=${ovn.sb.tcp}`, "--columns=external_ids", "list", "Datapath_Binding"]),
    ).toContain("sw-harness");

    for (const ep of [ovn.nb, ovn.sb]) {
      const reply = await ovsdbRequest(ep.host, ep.port, "list_dbs", []);
      expect(reply.error).toBeNull();
      expect(reply.result).toEqual(expect.arrayContaining([ep.database, "_Server"]));
    }
    expect(ovn.clustered).toBe(false);
    expect(existsSync(ovn.nb.schema)).toBe(true);
    const rss = (await Promise.all([ovn.pids.nb, ovn.pids.sb, ovn.pids.northd].map(rssKiB))).map(
      (k) => `${(k / 1024).toFixed(1)}`,
    );
    figures.push(`ovn: cold up ${coldMs.toFixed(0)} ms; idle RSS nb/sb/northd ${rss.join("/")} MiB`);
  });

  it("is idempotent: up again is quick and keeps the same daemons", async () => {
    const [again, warmMs] = await timed(() => useOvn({ clustered: false }));
    expect(again.pids).toEqual(ovn.pids);
    expect(warmMs).toBeLessThan(2_000);
    figures.push(`ovn: warm up ${warmMs.toFixed(0)} ms`);
    expect(await markedComponents()).toContain("ovn");
  });

  it("recovers from a crash: up after a killed northd starts fresh", async () => {
    process.kill(ovn.pids.northd, "SIGKILL");
    expect(await isUp("ovn")).toBe(false);
    const fresh = await useOvn({ clustered: false });
    expect(fresh.pids.northd).not.toBe(ovn.pids.northd);
    expect(await sh("ovn-nbctl", [`--db=${fresh.nb.unix}`, "ls-list"])).not.toContain("sw-harness");
    ovn = fresh;
  });

  it("goes down (twice is fine) and comes back up", async () => {
    await down("ovn");
    await down("ovn");
    expect(await isUp("ovn")).toBe(false);
    expect(existsSync(ovn.nb.socketPath)).toBe(false);
    expect(alive(ovn.pids.nb)).toBe(false);
    const back = await useOvn({ clustered: false });
    expect(await sh("ovn-nbctl", [`--db=${back.nb.unix}`, "ls-list"])).toBe("");
  });

  it("runs 1-member RAFT clusters on request", async () => {
    const clustered = await useOvn({ clustered: true });
    expect(clustered.clustered).toBe(true);
    expect(clustered.nb.raft).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    const reply = await ovsdbRequest(clustered.nb.host, clustered.nb.port, "transact", [
      "_Server",
      { op: "select", table: "Database", where: [["name", "==", "OVN_Northbound"]], columns: ["model", "leader"] },
    ]);
    expect(reply.result).toEqual([{ rows: [{ model: "clustered", leader: true }] }]);
    await sh("ovn-nbctl", [`--db=${clustered.nb.tcp}`, "ls-add", "sw-raft"]);
    expect(await sh("ovn-nbctl", [`--db=${clustered.nb.unix}`, "ls-list"])).toContain("sw-raft");
  });
});

describe("Ceph", () => {
  let ceph: CephConnection;
  let coldMs = 0;
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "stratus-harness-"));
    await down("ceph");
    [ceph, coldMs] = await timed(() => useCeph());
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("stores RBD images and RADOS objects in the pool", async () => {
    const conf = ["-c", ceph.conf];
    const image = `harness-${randomBytes(4).toString("hex")}`;
    await sh("rbd", [...conf, "create", `${ceph.pool}/${image}`, "--size", "16M"]);
    expect((await sh("rbd", [...conf, "ls", ceph.pool])).split("\n")).toContain(image);
    await sh("rbd", [...conf, "rm", `${ceph.pool}/${image}`, "--no-progress"]);
    expect((await sh("rbd", [...conf, "ls", ceph.pool])).split("\n")).not.toContain(image);

    const data = randomBytes(64 * 1024);
    await writeFile(path.join(tmp, "in"), data);
    await sh("rados", [...conf, "-p", ceph.pool, "put", "harness-object", path.join(tmp, "in")]);
    await sh("rados", [...conf, "-p", ceph.pool, "get", "harness-object", path.join(tmp, "out")]);
    expect((await readFile(path.join(tmp, "out"))).equals(data)).toBe(true);
    await sh("rados", [...conf, "-p", ceph.pool, "rm", "harness-object"]);

    expect(ceph.objectstore).toBe("bluestore");
    expect(ceph.auth).toBe("none");
    expect(ceph.monHost).toContain("127.0.0.1");
    const rss = (await Promise.all([ceph.pids.mon, ceph.pids.osd].map(rssKiB))).map((k) => `${(k / 1024).toFixed(1)}`);
    figures.push(`ceph: cold up ${coldMs.toFixed(0)} ms; idle RSS mon/osd ${rss.join("/")} MiB`);
  });

  it("is idempotent: up again is quick and keeps the same daemons", async () => {
    const [again, warmMs] = await timed(() => useCeph());
    expect(again.pids).toEqual(ceph.pids);
    expect(again.fsid).toBe(ceph.fsid);
    expect(warmMs).toBeLessThan(2_000);
    figures.push(`ceph: warm up ${warmMs.toFixed(0)} ms`);
  });

  it("goes down and comes back up as a fresh cluster", async () => {
    await down("ceph");
    expect(await isUp("ceph")).toBe(false);
    expect(alive(ceph.pids.osd)).toBe(false);
    const back = await useCeph();
    expect(back.fsid).not.toBe(ceph.fsid);
    expect(await sh("rbd", ["-c", back.conf, "ls", back.pool])).toBe("");
  });
});

describe("libvirt", () => {
  let virt: LibvirtConnection;
  let coldMs = 0;

  beforeAll(async () => {
    await down("libvirt");
    [virt, coldMs] = await timed(() => useLibvirt());
  });

  it("answers on its socket URI, and test:///default needs no daemon", async () => {
    expect(await sh("virsh", ["-c", virt.uri, "version"])).toMatch(/Running hypervisor: QEMU/);
    expect(await sh("virsh", ["-c", virt.testUri, "list", "--name"])).toContain("test");
    figures.push(
      `libvirt: up ${coldMs.toFixed(0)} ms (8-9 s only on the very first start: capabilities cache); idle RSS ${((await rssKiB(virt.pid)) / 1024).toFixed(1)} MiB`,
    );
  });

  it("defines, starts, destroys and undefines a tiny TCG domain", async () => {
    expect(virt.qemu, "qemu-system-x86 is not installed").not.toBeNull();
    const name = `harness-${randomBytes(4).toString("hex")}`;
    const disk = path.join(virt.imageDir, `${name}.raw`);
    await writeFile(disk, Buffer.alloc(1024 * 1024));
    const xml = path.join(virt.imageDir, `${name}.xml`);
    await writeFile(
      xml,
      `<domain type='${virt.domainType}'>
  <name>${name}</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='${disk}'/>
      <target dev='hda' bus='ide'/>
    </disk>
  </devices>
</domain>
`,
    );
    const virsh = (...args: string[]) => sh("virsh", ["-q", "-c", virt.uri, ...args]);
    try {
      await virsh("define", xml);
      expect(await virsh("list", "--all", "--name")).toContain(name);
      await virsh("start", name);
      expect((await virsh("domstate", name)).trim()).toBe("running");
      await virsh("destroy", name);
      expect((await virsh("domstate", name)).trim()).toBe("shut off");
      await virsh("undefine", name);
      expect(await virsh("list", "--all", "--name")).not.toContain(name);
    } finally {
      await rm(disk, { force: true });
      await rm(xml, { force: true });
    }
  });

  it("is idempotent: up again is quick and keeps the same daemon", async () => {
    const [again, warmMs] = await timed(() => useLibvirt());
    expect(again.pid).toBe(virt.pid);
    expect(warmMs).toBeLessThan(2_000);
    figures.push(`libvirt: warm up ${warmMs.toFixed(0)} ms`);
  });

  it("serves TCP on 127.0.0.1 on request (a reconfiguration restarts it)", async () => {
    const tcp = await useLibvirt({ tcpPort: 26509 });
    expect(tcp.tcpUri).toBe("qemu+tcp://127.0.0.1:26509/system");
    expect(tcp.pid).not.toBe(virt.pid);
    expect(await sh("virsh", ["-c", tcp.tcpUri ?? "", "version"])).toMatch(/Running hypervisor: QEMU/);
    virt = await useLibvirt();
    expect(virt.tcpUri).toBeNull();
  });

  it("goes down and comes back up (fast: the capabilities cache survives)", async () => {
    await down("libvirt");
    expect(await isUp("libvirt")).toBe(false);
    expect(existsSync(virt.socket)).toBe(false);
    const [back, ms] = await timed(() => useLibvirt());
    expect(back.pid).not.toBe(virt.pid);
    expect(ms).toBeLessThan(5_000);
    figures.push(`libvirt: restart with warm capabilities cache ${ms.toFixed(0)} ms`);
  });
});
