/**
 * Private ovsdb-server processes for tests that kill and restart them (the shared harness OVN is
 * left alone): a standalone database, or an N-member RAFT cluster, in a scratch directory.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Member {
  index: number;
  db: string;
  sock: string;
  ctl: string;
  port: number;
  raftPort: number | null;
  proc: ChildProcess | undefined;
}

export class PrivateOvsdb {
  private constructor(
    readonly dir: string,
    readonly members: Member[],
  ) {}

  /** Remotes of every member, comma-separated, as OVN_NB_DB would hold them. */
  get remotes(): string {
    return this.members.map((m) => `tcp:127.0.0.1:${m.port}`).join(",");
  }

  static async standalone(schema = NB_SCHEMA): Promise<PrivateOvsdb> {
    const dir = await mkdtemp(path.join(tmpdir(), "ovsdb-"));
    const m = await member(dir, 0, false);
    await run("ovsdb-tool", ["create", m.db, schema]);
    const s = new PrivateOvsdb(dir, [m]);
    await s.start(0);
    return s;
  }

  /** An n-member cluster of one database (OVN_Northbound by default). */
  static async cluster(n: number, schema = NB_SCHEMA, name = "OVN_Northbound"): Promise<PrivateOvsdb> {
    const dir = await mkdtemp(path.join(tmpdir(), "ovsdb-raft-"));
    const members: Member[] = [];
    for (let i = 0; i < n; i++) members.push(await member(dir, i, true));
    const first = members[0] as Member;
    await run("ovsdb-tool", ["create-cluster", first.db, schema, `tcp:127.0.0.1:${first.raftPort}`]);
    for (const m of members.slice(1)) {
      await run("ovsdb-tool", [
        "join-cluster",
        m.db,
        name,
        `tcp:127.0.0.1:${m.raftPort}`,
        `tcp:127.0.0.1:${first.raftPort}`,
      ]);
    }
    const s = new PrivateOvsdb(dir, members);
    for (let i = 0; i < n; i++) await s.start(i);
    return s;
  }

  /** Starts member i (again) and waits until it answers on its socket. */
  async start(i: number): Promise<void> {
    const m = this.members[i] as Member;
    m.proc = spawn(
      "ovsdb-server",
      [
        m.db,
        `--remote=punix:${m.sock}`,
        `--remote=ptcp:${m.port}:127.0.0.1`,
        `--unixctl=${m.ctl}`,
        "-vconsole:off",
        `--log-file=${path.join(this.dir, `ovsdb-${i}.log`)}`,
        "--no-chdir",
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await run("ovsdb-client", ["list-dbs", `unix:${m.sock}`], { timeout: 2000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Kills member i with SIGKILL (no clean shutdown) and waits for it to exit. */
  async kill(i: number): Promise<void> {
    const m = this.members[i] as Member;
    const p = m.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await exited;
    m.proc = undefined;
  }

  /** Index of the member that is leader now, per `cluster/status`, or -1. */
  async leader(name = "OVN_Northbound"): Promise<number> {
    for (const m of this.members) {
      if (!m.proc) continue;
      const out = await run("ovs-appctl", ["-t", m.ctl, "cluster/status", name]).catch(() => ({ stdout: "" }));
      if (/Role: leader/.test(out.stdout)) return m.index;
    }
    return -1;
  }

  async stop(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) await this.kill(i);
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function member(dir: string, index: number, clustered: boolean): Promise<Member> {
  return {
    index,
    db: path.join(dir, `db${index}.db`),
    sock: path.join(dir, `db${index}.sock`),
    ctl: path.join(dir, `db${index}.ctl`),
    port: await freePort(),
    raftPort: clustered ? await freePort() : null,
    proc: undefined,
  };
}
