/**
 * `stratus network sync --mode log|repair`: compares Neutron's state, read through the running
 * server's Neutron API as the admin, with OVN_Northbound, and reports (log) or repairs drift.
 * Exit status: 0 in sync (or repaired), 2 when log mode found drift, 1 on errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { badRequest } from "@stratus/core/errors";
import { type NeutronSnapshot, SnapshotView } from "@stratus/network";
import { OvnMechanismDriver, syncOvn } from "@stratus/network/ovn";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import type { ServerConfig } from "./config.js";
import { identityBaseUrl } from "./modules/identity.js";

export function registerNetworkCommands(program: Command, load: () => ServerConfig): void {
  const network = program.command("network").description("Neutron operator commands");
  network
    .command("sync")
    .description("compare Neutron's DB with OVN_Northbound (missing, stale, extra rows); repair with --mode repair")
    .option("--mode <mode>", "log (report only) or repair", "log")
    .option("--neutron-url <url>", "the Neutron API to read (default: this server's network port)")
    .option("--ovn-nb <remotes>", "OVN_Northbound remotes (default: network.ovnNbConnection)")
    .action(async (opts: { mode: string; neutronUrl?: string; ovnNb?: string }) => {
      if (opts.mode !== "log" && opts.mode !== "repair")
        throw badRequest(`--mode must be log or repair, not ${opts.mode}`);
      const config = load();
      const nb = opts.ovnNb ?? config.network.ovnNbConnection;
      if (!nb) throw badRequest("no OVN_Northbound to compare with: set network.ovnNbConnection or pass --ovn-nb");
      const host = config.publicHost ?? config.bindHost;
      const neutron = opts.neutronUrl ?? `http://${host}:${config.services.network.port}`;
      const token = await adminToken(`${identityBaseUrl(config)}/v3`, adminPassword(config));
      const view = new SnapshotView(await readNeutron(neutron, token));
      const driver = await OvnMechanismDriver.connect({ nbConnection: nb });
      try {
        const report = await syncOvn(driver, view, opts.mode);
        for (const f of report.findings) process.stdout.write(`${f.kind.padEnd(8)} ${f.what}\n`);
        process.stdout.write(
          `${report.findings.length} difference(s)${opts.mode === "repair" ? `, ${report.repaired} repaired` : ""}\n`,
        );
        if (opts.mode === "log" && report.findings.length > 0) process.exitCode = 2;
      } finally {
        driver.close();
      }
    });
}

function adminPassword(config: ServerConfig): string {
  if (config.identity.adminPassword) return config.identity.adminPassword;
  // the server writes the generated password to clouds.yaml in its data dir
  try {
    const clouds = parseYaml(readFileSync(join(config.dataDir, "clouds.yaml"), "utf8")) as {
      clouds?: Record<string, { auth?: { password?: string } }>;
    };
    const password = Object.values(clouds?.clouds ?? {})[0]?.auth?.password;
    if (password) return password;
  } catch {
    // fall through to the error below
  }
  throw badRequest("the admin password is unknown: set STRATUS_ADMIN_PASSWORD (or identity.adminPassword)");
}

async function adminToken(identity: string, password: string): Promise<string> {
  const res = await fetch(`${identity}/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: { methods: ["password"], password: { user: { name: "admin", domain: { id: "default" }, password } } },
        scope: { project: { name: "admin", domain: { id: "default" } } },
      },
    }),
  });
  const token = res.headers.get("x-subject-token");
  if (res.status !== 201 || !token) throw badRequest(`Keystone at ${identity} refused the admin login (${res.status})`);
  return token;
}

async function readNeutron(base: string, token: string): Promise<NeutronSnapshot> {
  const get = async <T>(collection: string, key: string): Promise<T[]> => {
    const res = await fetch(`${base}/v2.0/${collection}`, {
      headers: { "x-auth-token": token, accept: "application/json" },
    });
    if (res.status !== 200) throw badRequest(`GET ${base}/v2.0/${collection} answered ${res.status}`);
    return ((await res.json()) as Record<string, T[]>)[key] ?? [];
  };
  return {
    networks: await get("networks", "networks"),
    subnets: await get("subnets", "subnets"),
    ports: await get("ports", "ports"),
    routers: await get("routers", "routers"),
    floatingips: await get("floatingips", "floatingips"),
    security_groups: await get("security-groups", "security_groups"),
    security_group_rules: await get("security-group-rules", "security_group_rules"),
  };
}
