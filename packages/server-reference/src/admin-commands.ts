/**
 * Operator commands beside `serve`: `stratus bootstrap` (keystone-manage bootstrap) and
 * `stratus fernet setup|rotate`, `stratus credential setup|rotate` (keystone-manage's key
 * repository commands, same layout and semantics).
 */
import { join } from "node:path";
import { badRequest } from "@stratus/core/errors";
import { bootstrap, FernetKeyRepository } from "@stratus/identity";
import type { Command } from "commander";
import { type ConfigSources, loadServerConfig, type ServerConfig } from "./config.js";
import { identityPublicUrl, openIdentity } from "./modules/identity.js";

type LoadConfig = (extra?: Record<string, unknown>) => ServerConfig;

/** Adds the commands to `program`; `configFrom` reads --config/env/flags as `serve` does. */
export function registerAdminCommands(program: Command, sources: () => ConfigSources): void {
  const load: LoadConfig = (extra = {}) => {
    const base = sources();
    return loadServerConfig({ ...base, overrides: { ...base.overrides, ...extra } });
  };

  program
    .command("bootstrap")
    .description("create the admin user, project and roles, a region and the identity endpoints (idempotent)")
    .requiredOption("--bootstrap-password <password>", "the admin's password (set even when the admin exists)")
    .option("--bootstrap-username <name>", "the admin user", "admin")
    .option("--bootstrap-project-name <name>", "the admin project", "admin")
    .option("--bootstrap-region-id <id>", "the region of the endpoints", "RegionOne")
    .option("--bootstrap-public-url <url>", "the identity public endpoint (default: this server's)")
    .option("--bootstrap-internal-url <url>", "the identity internal endpoint")
    .option("--bootstrap-admin-url <url>", "the identity admin endpoint")
    .action(async (opts: Record<string, string | undefined>) => {
      const config = load();
      const { identity, database } = await openIdentity(config);
      try {
        const publicUrl = opts["bootstrapPublicUrl"] ?? identityPublicUrl(config);
        const result = await bootstrap(identity, {
          adminPassword: opts["bootstrapPassword"] ?? "",
          adminUsername: opts["bootstrapUsername"] ?? "admin",
          adminProjectName: opts["bootstrapProjectName"] ?? "admin",
          regionId: opts["bootstrapRegionId"] ?? "RegionOne",
          publicUrl,
          ...(opts["bootstrapInternalUrl"] ? { internalUrl: opts["bootstrapInternalUrl"] } : {}),
          ...(opts["bootstrapAdminUrl"] ? { adminUrl: opts["bootstrapAdminUrl"] } : {}),
          resetPassword: true,
        });
        for (const line of result.created) process.stdout.write(`created ${line}\n`);
        process.stdout.write(`admin user ${result.adminUserId}, admin project ${result.adminProjectId}\n`);
      } finally {
        await database.close();
      }
    });

  for (const [name, dir, what] of [
    ["fernet", "fernet-keys", "Fernet token"],
    ["credential", "credential-keys", "credential"],
  ] as const) {
    const group = program
      .command(name)
      .description(`the ${what} key repository (keystone-manage ${name}_setup / ${name}_rotate)`);
    group
      .command("setup")
      .description(`create the ${what} key repository with keys 0 and 1 (no-op when it exists)`)
      .action(() => {
        const repo = FernetKeyRepository.setup(join(load().dataDir, dir), { name });
        process.stdout.write(
          `${repo.directory}: keys ${repo
            .keys()
            .map((k) => k.id)
            .join(", ")}\n`,
        );
      });
    group
      .command("rotate")
      .description(`promote the staged key to primary, stage a new one, prune beyond --max-active-keys`)
      .option("--max-active-keys <n>", "keys kept, the staged one included", "3")
      .action((opts: { maxActiveKeys: string }) => {
        const maxActiveKeys = Number(opts.maxActiveKeys);
        if (!Number.isInteger(maxActiveKeys) || maxActiveKeys < 1)
          throw badRequest("--max-active-keys must be a whole number of at least 1.");
        const repo = new FernetKeyRepository(join(load().dataDir, dir), { name, maxActiveKeys });
        process.stdout.write(`${repo.directory}: keys ${repo.rotate().join(", ")}\n`);
      });
  }
}
