/**
 * `stratus serve` as a user runs it: a real process, real ports, real signals.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SERVICE_NAMES } from "../src/services.js";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function stratus(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--conditions=@stratus/source", "--import", "tsx", CLI, ...args], {
    env: { ...process.env, STRATUS_LOG_LEVEL: "warn", STRATUS_BCRYPT_COST: "4", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const portZeroEnv = Object.fromEntries(SERVICE_NAMES.map((n) => [`STRATUS_${n.toUpperCase()}_PORT`, "0"]));

describe("stratus serve", () => {
  it("prints every service's URL, answers on each, and exits 0 on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "stratus-cli-"));
    const run = stratus(["serve", "--data-dir", dataDir], portZeroEnv);
    const urlLines = () =>
      run
        .out()
        .split("\n")
        .filter((line) => /^\w+\s+http:\/\//.test(line));
    await until(() => urlLines().length >= 7, 20_000, `7 URLs (stderr: ${run.err()})`);
    const urls = Object.fromEntries(urlLines().map((line) => line.split(/\s+/) as [string, string]));
    expect(Object.keys(urls).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const url of Object.values(urls)) {
      const res = await fetch(`${url}/`);
      expect(res.status === 200 || res.status === 300).toBe(true);
      expect(await res.json()).toHaveProperty("versions");
      const health = await fetch(`${url}/healthcheck`);
      expect(health.status).toBe(200);
    }
    // state goes where --data-dir says, not to ~/.stratus
    expect(existsSync(join(dataDir, "clouds.yaml"))).toBe(true);
    expect(existsSync(join(dataDir, "identity.db"))).toBe(true);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("refuses a bad configuration with a message naming the field, and exits 1", async () => {
    const run = stratus(["serve", "--data-dir", mkdtempSync(join(tmpdir(), "stratus-cli-"))], {
      STRATUS_COMPUTE_PORT: "not-a-port",
    });
    expect(await run.exited).toBe(1);
    expect(run.err()).toContain("services.compute.port");
    expect(run.err()).not.toContain("    at "); // no stack trace for a user's mistake
  });

  it("says which port is taken and exits 1", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const taken = String((blocker.address() as { port: number }).port);
    const run = stratus(["serve", "--data-dir", mkdtempSync(join(tmpdir(), "stratus-cli-"))], {
      ...portZeroEnv,
      STRATUS_IDENTITY_PORT: taken,
    });
    expect(await run.exited).toBe(1);
    expect(run.err()).toContain(taken);
    await new Promise((r) => blocker.close(r));
  });

  it("lists its commands in --help", async () => {
    const run = stratus(["--help"]);
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain("serve");
  });

  it("sets up and rotates the Fernet key repository with keystone-manage's semantics", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "stratus-keys-"));
    const keysAfter = async (args: string[]) => {
      const run = stratus(["--data-dir", dataDir, "fernet", ...args]);
      expect(await run.exited).toBe(0);
      return readdirSync(join(dataDir, "fernet-keys")).sort();
    };
    expect(await keysAfter(["setup"])).toEqual(["0", "1"]);
    expect(await keysAfter(["rotate"])).toEqual(["0", "1", "2"]);
    expect(await keysAfter(["rotate"])).toEqual(["0", "2", "3"]);
    expect(await keysAfter(["rotate", "--max-active-keys", "2"])).toEqual(["0", "4"]);
    const bad = stratus(["--data-dir", dataDir, "fernet", "rotate", "--max-active-keys", "0"]);
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toContain("--max-active-keys");
  });

  it("bootstraps once and reports nothing new the second time", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "stratus-boot-"));
    const first = stratus(["--data-dir", dataDir, "bootstrap", "--bootstrap-password", "pw"]);
    expect(await first.exited).toBe(0);
    expect(first.out()).toContain("created user admin");
    const second = stratus(["--data-dir", dataDir, "bootstrap", "--bootstrap-password", "pw"]);
    expect(await second.exited).toBe(0);
    expect(second.out()).not.toContain("created");
    // serve on the bootstrapped data dir must not invent a password the admin does not have
    const served = stratus(["serve", "--data-dir", dataDir], portZeroEnv);
    await until(() => served.out().includes("placement"), 20_000, `serve to start (stderr: ${served.err()})`);
    expect(served.out()).not.toContain("identity: admin /");
    expect(existsSync(join(dataDir, "clouds.yaml"))).toBe(false);
    served.child.kill("SIGTERM");
    expect(await served.exited).toBe(0);
  });
});
