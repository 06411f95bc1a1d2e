/**
 * `stratus serve` on a fresh data directory and free loopback ports, driven by the real
 * `openstack` command (Debian's python3-openstackclient and python3-osc-placement).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
export const ADMIN_PASSWORD = "s3cret-admin";

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface Stratus {
  /** The environment `openstack` runs with: the admin on the admin project. */
  readonly env: NodeJS.ProcessEnv;
  /** The data directory (pass it to a second start to restart on the same state). */
  readonly dataDir: string;
  /** The bound ports per service (0 for those left to the OS). */
  readonly ports: Readonly<Record<string, number>>;
  /** Runs `openstack ARGS -f json` (or plain when `json` is false) and returns its parsed output. */
  // biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON output, read freely by tests
  openstack(args: string[], options?: { json?: boolean; env?: NodeJS.ProcessEnv }): Promise<any>;
  /** Runs `openstack ARGS` expecting it to fail; resolves with its stderr. */
  openstackFails(args: string[], env?: NodeJS.ProcessEnv): Promise<string>;
  /** Sends SIGTERM and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts `stratus serve` with the identity port and the `fixed` services on free ports, the rest on port 0. */
export async function startStratus(
  fixed: readonly string[] = [],
  options: {
    readonly dataDir?: string;
    readonly ports?: Readonly<Record<string, number>>;
    /** Extra environment for the server process (e.g. STRATUS_IMAGE_* options). */
    readonly serverEnv?: Readonly<Record<string, string>>;
  } = {},
): Promise<Stratus> {
  const which = await run("sh", ["-c", "command -v openstack || true"]);
  if (!which.stdout.trim())
    throw new Error("the openstack CLI is missing: apt-get install python3-openstackclient (scripts/setup.sh does)");
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "stratus-osc-"));
  const ports: Record<string, number> = { ...options.ports };
  for (const n of ["IDENTITY", "COMPUTE", "NETWORK", "BLOCK", "IMAGE", "ORCHESTRATION", "PLACEMENT"]) {
    ports[n.toLowerCase()] ??= n === "IDENTITY" || fixed.includes(n.toLowerCase()) ? await freePort() : 0;
  }
  const server: ChildProcess = spawn(
    process.execPath,
    ["--conditions=@stratus/source", "--import", "tsx", CLI, "serve", "--data-dir", dataDir],
    {
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([n, p]) => [`STRATUS_${n.toUpperCase()}_PORT`, String(p)])),
        STRATUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
        STRATUS_LOG_LEVEL: "warn",
        STRATUS_BCRYPT_COST: "4",
        ...options.serverEnv,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  server.stdout?.on("data", (d) => (out += d));
  for (let i = 0; i < 300 && !out.includes("placement"); i++) await new Promise((r) => setTimeout(r, 100));
  if (!out.includes("identity")) throw new Error(`stratus serve did not start: ${out}`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    HOME: dataDir,
    OS_AUTH_URL: `http://127.0.0.1:${ports["identity"]}/v3`,
    OS_IDENTITY_API_VERSION: "3",
    OS_USERNAME: "admin",
    OS_PASSWORD: ADMIN_PASSWORD,
    OS_PROJECT_NAME: "admin",
    OS_USER_DOMAIN_NAME: "Default",
    OS_PROJECT_DOMAIN_NAME: "Default",
    OS_REGION_NAME: "RegionOne",
    OS_INTERFACE: "public",
  };
  const openstackFails = async (args: string[], fullEnv: NodeJS.ProcessEnv = env): Promise<string> => {
    try {
      await run("openstack", args, { env: fullEnv, timeout: 60_000 });
    } catch (err) {
      return (err as { stderr?: string }).stderr ?? "";
    }
    throw new Error(`openstack ${args.join(" ")} succeeded but was expected to fail`);
  };
  return {
    env,
    dataDir,
    ports,
    async openstack(args, options = {}) {
      const json = options.json ?? true;
      try {
        const { stdout } = await run("openstack", [...args, ...(json ? ["-f", "json"] : [])], {
          env: options.env ?? env,
          timeout: 60_000,
        });
        return json ? JSON.parse(stdout) : stdout;
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`openstack ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
      }
    },
    openstackFails,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null || server.signalCode !== null) return resolve();
        server.once("exit", () => resolve());
        server.kill("SIGTERM");
      }),
  };
}
