/**
 * Test-side helpers for the real-component harness (scripts/harness/stratus-harness).
 *
 * Integration tests start what they need lazily, in `beforeAll`:
 *
 *   const ovn = await useOvn();          // OVN NB/SB ovsdb-servers + ovn-northd
 *   const ceph = await useCeph();        // 1 mon + 1 osd, pool "rbd"
 *   const virt = await useLibvirt();     // privileged libvirtd in a private mount namespace
 *
 * Each call runs the idempotent `stratus-harness up` (about 50 ms when the component is already
 * up) and returns the connection details it wrote to <harness dir>/<component>/connection.json.
 * A component a test run had to start is marked, and the run holds a lease on it (named by the
 * run id, STRATUS_HARNESS_RUN, set by vitest-global-setup.ts). The global teardown releases the
 * lease; the component stops when no live run holds one (STRATUS_HARNESS_KEEP=1: it stays up).
 * A component started by hand (`scripts/harness/stratus-harness up ovn`) is used but never stopped.
 *
 * Only node built-ins are imported, so loading this module costs nothing.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Component = "ovn" | "ceph" | "libvirt";
export const COMPONENTS: readonly Component[] = ["ovn", "ceph", "libvirt"];

/** The bash entry point. */
export const HARNESS_SCRIPT: string = fileURLToPath(new URL("./stratus-harness", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Where components keep their state: $STRATUS_HARNESS_DIR, else <repo>/.harness. */
export function harnessDir(): string {
  const fromEnv = process.env.STRATUS_HARNESS_DIR;
  return fromEnv ? path.resolve(fromEnv) : path.join(REPO_ROOT, ".harness");
}

/** The id of this test run: the vitest main process pid (set by the global setup), else ours. */
export function harnessRunId(): string {
  return process.env.STRATUS_HARNESS_RUN ?? String(process.pid);
}

/** One OVSDB database as served by the harness: a unix socket and a loopback TCP port. */
export interface OvsdbEndpoint {
  database: "OVN_Northbound" | "OVN_Southbound";
  /** OVSDB remote string, `unix:/…/nb.sock` */
  unix: string;
  socketPath: string;
  /** OVSDB remote string, `tcp:127.0.0.1:16641` */
  tcp: string;
  host: string;
  port: number;
  schema: string;
  dbFile: string;
  /** ovs-appctl control socket of this ovsdb-server */
  ctl: string;
  /** RAFT address when clustered, else null */
  raft: string | null;
  pid: number;
}

export interface OvnConnection {
  component: "ovn";
  dir: string;
  /** true: one-member RAFT clusters (transaction ids, monitor_cond_since) */
  clustered: boolean;
  nb: OvsdbEndpoint;
  sb: OvsdbEndpoint;
  northd: { ctl: string; pid: number };
  pids: { nb: number; sb: number; northd: number };
  env: { OVN_NB_DB: string; OVN_SB_DB: string; OVN_RUNDIR: string; OVS_RUNDIR: string };
  logs: string[];
}

export interface CephConnection {
  component: "ceph";
  dir: string;
  /** ceph.conf for librados (`rados_conf_read_file`) and the CLIs (`-c`, or CEPH_CONF) */
  conf: string;
  fsid: string;
  pool: string;
  /** `[v2:127.0.0.1:16789,v1:127.0.0.1:16790]` */
  monHost: string;
  mon: { v2: string; v1: string; host: string; port: number };
  keyring: string;
  /** `client.admin` */
  client: string;
  /** `admin` (the id librados wants) */
  user: string;
  auth: "none" | "cephx";
  objectstore: "bluestore" | "memstore";
  storeBytes: number;
  withMgr: boolean;
  pids: { mon: number; osd: number; mgr: number | null };
  adminSockets: { mon: string; osd: string };
  env: { CEPH_CONF: string };
  logs: string[];
}

export interface LibvirtConnection {
  component: "libvirt";
  dir: string;
  /** `qemu:///system?socket=…/libvirt-sock` */
  uri: string;
  socket: string;
  socketRo: string;
  adminUri: string;
  /** `qemu+tcp://127.0.0.1:PORT/system` when STRATUS_LIBVIRT_TCP_PORT / tcpPort was given */
  tcpUri: string | null;
  tcpPort: number | null;
  /** The daemon-less mock hypervisor, always available */
  testUri: "test:///default";
  /** Use `<domain type='qemu'>` (TCG): /dev/kvm is not dependable where this runs */
  domainType: "qemu";
  /** The QEMU emulator, or null when qemu-system-x86 is not installed (domains cannot run) */
  qemu: string | null;
  /** A directory for disk images that libvirtd sees under the same path */
  imageDir: string;
  qemuLogDir: string;
  pid: number;
  pids: { libvirtd: number };
  env: { LIBVIRT_DEFAULT_URI: string };
  logs: string[];
}

export interface ConnectionOf {
  ovn: OvnConnection;
  ceph: CephConnection;
  libvirt: LibvirtConnection;
}

export interface OvnOptions {
  /** one-member RAFT clusters instead of standalone databases (STRATUS_OVN_CLUSTERED) */
  clustered?: boolean;
  nbPort?: number;
  sbPort?: number;
}

export interface CephOptions {
  objectstore?: "bluestore" | "memstore";
  auth?: "none" | "cephx";
  pool?: string;
  withMgr?: boolean;
  storeGb?: number;
  monPort?: number;
}

export interface LibvirtOptions {
  /** also serve unauthenticated TCP on 127.0.0.1:tcpPort */
  tcpPort?: number;
}

/** A harness command failed; the message carries its stderr (log tails, missing packages). */
export class HarnessError extends Error {
  override readonly name = "HarnessError";
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

export interface HarnessRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Run `stratus-harness ARGS…` against harnessDir(). Rejects with HarnessError on a non-zero exit. */
export function runHarness(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  options: { allowExitCodes?: readonly number[]; timeoutMs?: number } = {},
): Promise<HarnessRun> {
  return new Promise((resolve, reject) => {
    execFile(
      "bash",
      [HARNESS_SCRIPT, ...args],
      {
        env: { ...process.env, STRATUS_HARNESS_DIR: harnessDir(), STRATUS_HARNESS_RUN: harnessRunId(), ...env },
        maxBuffer: 16 * 1024 * 1024,
        timeout: options.timeoutMs ?? 180_000,
        killSignal: "SIGTERM",
      },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
        if (exitCode !== null && (exitCode === 0 || options.allowExitCodes?.includes(exitCode))) {
          resolve({ stdout, stderr, exitCode });
          return;
        }
        const why = error?.killed ? `timed out after ${options.timeoutMs ?? 180_000} ms` : `exit code ${exitCode}`;
        reject(
          new HarnessError(
            `stratus-harness ${args.join(" ")} failed (${why}):\n${stderr.trim()}`,
            stdout,
            stderr,
            exitCode,
          ),
        );
      },
    );
  });
}

/** Read <harness dir>/<component>/connection.json (as written by the last cold `up`). */
export async function readConnection<C extends Component>(component: C): Promise<ConnectionOf[C]> {
  const file = path.join(harnessDir(), component, "connection.json");
  return JSON.parse(await readFile(file, "utf8")) as ConnectionOf[C];
}

/**
 * Bring a component up (idempotent) and return its connection details. Components this call had
 * to start are marked so that the global teardown stops them.
 */
export async function up<C extends Component>(
  component: C,
  env: Readonly<Record<string, string>> = {},
): Promise<ConnectionOf[C]> {
  await runHarness(["up", component], { ...env, STRATUS_HARNESS_MARK: "1" });
  return readConnection(component);
}

/** Drop this run's lease; stops the component when tests started it and no live run uses it. */
export async function release(component: Component): Promise<void> {
  await runHarness(["release", component]);
}

/** Keep a test-started component up after the run (until `stratus-harness down`). */
export async function adopt(component: Component): Promise<void> {
  await runHarness(["adopt", component]);
}

/** Stop a component (a no-op when it is down) and clear its marker. */
export async function down(component: Component): Promise<void> {
  await runHarness(["down", component]);
}

/** True when the component's daemons are alive and answering. */
export async function isUp(component: Component): Promise<boolean> {
  const run = await runHarness(["status", component], {}, { allowExitCodes: [3] });
  return run.exitCode === 0;
}

/** Components started by test runs and not stopped or adopted since (the teardown's work list). */
export async function markedComponents(): Promise<Component[]> {
  let names: string[];
  try {
    names = await readdir(path.join(harnessDir(), ".started-by-tests"));
  } catch {
    return [];
  }
  return COMPONENTS.filter((c) => names.includes(c));
}

function defined(entries: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined) continue;
    out[k] = typeof v === "boolean" ? (v ? "1" : "0") : String(v);
  }
  return out;
}

/**
 * OVN Northbound + Southbound ovsdb-servers and ovn-northd. Options override the STRATUS_OVN_*
 * environment; a request that differs from the running configuration restarts OVN (fresh databases).
 */
export function useOvn(options: OvnOptions = {}): Promise<OvnConnection> {
  return up(
    "ovn",
    defined({
      STRATUS_OVN_CLUSTERED: options.clustered,
      STRATUS_OVN_NB_PORT: options.nbPort,
      STRATUS_OVN_SB_PORT: options.sbPort,
    }),
  );
}

/** A single-node Ceph cluster (1 mon, 1 osd) with an RBD pool. */
export function useCeph(options: CephOptions = {}): Promise<CephConnection> {
  return up(
    "ceph",
    defined({
      STRATUS_CEPH_OBJECTSTORE: options.objectstore,
      STRATUS_CEPH_AUTH: options.auth,
      STRATUS_CEPH_POOL: options.pool,
      STRATUS_CEPH_WITH_MGR: options.withMgr,
      STRATUS_CEPH_STORE_GB: options.storeGb,
      STRATUS_CEPH_MON_PORT: options.monPort,
    }),
  );
}

/** A privileged libvirtd (qemu:///system) whose state lives in the harness directory. */
export function useLibvirt(options: LibvirtOptions = {}): Promise<LibvirtConnection> {
  return up("libvirt", defined({ STRATUS_LIBVIRT_TCP_PORT: options.tcpPort }));
}
