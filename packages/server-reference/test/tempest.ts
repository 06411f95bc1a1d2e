/**
 * Runs a slice of Tempest (Debian's `tempest` package, the OpenStack conformance suite) against a
 * running `stratus serve`: writes a workspace and a tempest.conf that point at our Keystone with
 * dynamic credentials, runs `tempest run --regex`, and returns what every test did.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ADMIN_PASSWORD, type Stratus } from "./osc-harness.js";

const run = promisify(execFile);

export interface TempestResult {
  /** `test id -> ok | FAILED | SKIPPED`, class set-ups included. */
  readonly outcomes: ReadonlyMap<string, string>;
  readonly passed: number;
  readonly failed: number;
  /** The whole `tempest run` output, for failure messages. */
  readonly output: string;
}

/** Extra `[section] key = value` lines, e.g. `{ "image-feature-enabled": { import_image: "True" } }`. */
export type TempestConf = Readonly<Record<string, Readonly<Record<string, string>>>>;

function tempestConf(stratus: Stratus, dir: string, extra: TempestConf): string {
  const sections: Record<string, Record<string, string>> = {
    DEFAULT: { log_dir: join(dir, "logs"), log_file: "tempest.log" },
    auth: {
      admin_username: "admin",
      admin_password: ADMIN_PASSWORD,
      admin_project_name: "admin",
      admin_domain_name: "Default",
      use_dynamic_credentials: "True",
      tempest_roles: "member",
    },
    identity: { uri_v3: `http://127.0.0.1:${stratus.ports["identity"]}/v3`, auth_version: "v3", region: "RegionOne" },
    "identity-feature-enabled": { api_v2: "False" },
    service_available: {
      glance: "True",
      nova: "False",
      neutron: "False",
      cinder: "False",
      swift: "False",
      heat: "False",
      placement: "False",
    },
  };
  for (const [section, values] of Object.entries(extra)) sections[section] = { ...sections[section], ...values };
  return Object.entries(sections)
    .map(
      ([name, values]) =>
        `[${name}]\n${Object.entries(values)
          .map(([k, v]) => `${k} = ${v}\n`)
          .join("")}`,
    )
    .join("\n");
}

/** Whether Debian's tempest is installed (scripts/setup.sh installs it). */
export async function tempestInstalled(): Promise<boolean> {
  const { stdout } = await run("sh", ["-c", "command -v tempest || true"]);
  return stdout.trim() !== "";
}

/** Runs the Tempest tests whose ids match `regex` against `stratus`, one worker. */
export async function runTempest(stratus: Stratus, regex: string, extra: TempestConf = {}): Promise<TempestResult> {
  const home = join(stratus.dataDir, "tempest-home");
  const workspace = join(stratus.dataDir, "tempest");
  mkdirSync(home, { recursive: true });
  const env = { PATH: process.env["PATH"], HOME: home, LANG: "C.UTF-8" };
  await run("tempest", ["init", workspace], { cwd: home, env, timeout: 60_000 });
  writeFileSync(join(workspace, "etc", "tempest.conf"), tempestConf(stratus, workspace, extra));
  let output: string;
  try {
    const done = await run("tempest", ["run", "--regex", regex, "--concurrency", "1"], {
      cwd: workspace,
      env,
      timeout: 600_000,
      maxBuffer: 64 * 2 ** 20,
    });
    output = done.stdout + done.stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    output = (e.stdout ?? "") + (e.stderr ?? "") || e.message;
  }
  const outcomes = new Map<string, string>();
  for (const line of output.split("\n")) {
    const m = /^\{\d+\} (.+?)(?: \[[\d.]+s\])? \.\.\. (ok|FAILED|SKIPPED.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) outcomes.set(m[1], m[2].startsWith("SKIPPED") ? "SKIPPED" : m[2]);
  }
  const count = (what: string) => [...outcomes.values()].filter((o) => o === what).length;
  return { outcomes, passed: count("ok"), failed: count("FAILED"), output };
}
