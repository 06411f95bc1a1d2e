/**
 * The real OpenStack Placement as a bench peer: Debian's placement-api under uwsgi (2 processes,
 * 1 thread each), SQLite, noauth2, started by placement-peer.sh in a throwaway directory. Its cloud
 * is written straight into its database (see cloud.ts), then its processes are restarted so each
 * cloud is measured from fresh workers.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CloudSpec, cloudSql } from "./cloud.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "placement-peer.sh");
// placement-api depends on Debian's python3, which has sqlite3; a pyenv python3 on PATH may not.
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const RUN_SQL = "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript(sys.stdin.read())\nc.close()";
const READ_CLASSES =
  "import sqlite3,sys,json\nc=sqlite3.connect(sys.argv[1])\nprint(json.dumps(dict((n,i) for i,n in c.execute('select id,name from resource_classes'))))";

/** True when placement-api, placement-manage and uwsgi's python3 plugin are installed. */
export function peerInstalled(): boolean {
  return ["/usr/bin/placement-api", "/usr/bin/placement-manage", "/usr/lib/uwsgi/plugins/python3_plugin.so"].every(
    (p) => existsSync(p),
  );
}

/** Installs the peer's Debian packages when missing (apt-get: needs root). Throws when it fails. */
export function installPeer(): void {
  execFileSync("bash", [SCRIPT, "install"], { stdio: ["ignore", "ignore", "inherit"], timeout: 600_000 });
}

export class PlacementPeer {
  private constructor(
    private readonly dir: string,
    private readonly port: number,
    /** The peer's base URL. */
    readonly base: string,
  ) {}

  /** Starts the peer on `port` in a fresh directory (db sync included). Throws when the script fails. */
  static start(port: number): PlacementPeer {
    const dir = mkdtempSync(join(tmpdir(), "stratus-placement-peer-"));
    try {
      const base = execFileSync("bash", [SCRIPT, "up", dir, String(port)], {
        encoding: "utf8",
        timeout: 180_000,
        stdio: ["ignore", "pipe", "inherit"],
      }).trim();
      return new PlacementPeer(dir, port, base);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Replaces the peer's cloud with `spec` and restarts its processes. */
  load(spec: CloudSpec): void {
    const db = join(this.dir, "placement.db");
    const classIds = JSON.parse(execFileSync(PYTHON, ["-c", READ_CLASSES, db], { encoding: "utf8" })) as Record<
      string,
      number
    >;
    execFileSync(PYTHON, ["-c", RUN_SQL, db], { input: cloudSql(spec, classIds), timeout: 300_000 });
    execFileSync("bash", [SCRIPT, "restart", this.dir, String(this.port)], {
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 180_000,
    });
  }

  /** The uwsgi worker processes (the master's children); empty once stopped. */
  workers(): number[] {
    const pidFile = join(this.dir, "uwsgi.pid");
    if (!existsSync(pidFile)) return [];
    const master = readFileSync(pidFile, "utf8").trim();
    try {
      return execFileSync("pgrep", ["-P", master], { encoding: "utf8" })
        .split("\n")
        .filter((s) => s !== "")
        .map(Number);
    } catch {
      return [];
    }
  }

  /** Stops the peer (the script kills a worker still busy after 10 s) and removes its directory. */
  stop(): void {
    try {
      execFileSync("bash", [SCRIPT, "down", this.dir], { stdio: "ignore", timeout: 60_000 });
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
