#!/usr/bin/env -S node --max-semi-space-size=2
/**
 * `stratus`: the command line of the reference server.
 * (The shebang caps V8's young generation at 2 MiB per semi-space: idle RSS about 95 MiB instead
 * of 122, for about a tenth of peak request throughput; see the README's figures.)
 *   stratus serve [--config FILE] [--host ADDR] [--data-dir DIR] [--log-level LEVEL]
 */
import { StratusError } from "@stratus/core";
import { installShutdownHandlers } from "@stratus/core/http";
import { Command, Option } from "commander";
import { registerAdminCommands } from "./admin-commands.js";
import { serve } from "./composition.js";
import { loadServerConfig } from "./config.js";
import { registerNetworkCommands } from "./network-sync-command.js";
import { SERVICE_NAMES, SERVICES } from "./services.js";

const program = new Command()
  .name("stratus")
  .description("A small, fast OpenStack: Keystone, Nova, Neutron, Cinder, Glance, Heat and Placement APIs")
  .version("0.1.0")
  .showHelpAfterError()
  // options before a command are the program's (`stratus --data-dir D fernet setup`), after it the
  // command's own (`stratus serve --data-dir D`): without this the program would take both
  .enablePositionalOptions();

program
  .command("serve")
  .description(
    `start every service on its OpenStack port (${SERVICE_NAMES.map((n) => `${n} ${SERVICES[n].defaultPort}`).join(", ")})`,
  )
  .addOption(new Option("-c, --config <file>", "YAML or JSON configuration file").env("STRATUS_CONFIG"))
  .option("--host <address>", "address to bind every listener to (default 127.0.0.1)")
  .option("--data-dir <dir>", "where the embedded default keeps its state (default ~/.stratus)")
  .addOption(new Option("--log-level <level>", "log level").choices(["fatal", "error", "warn", "info", "debug"]))
  .action(async (opts: { config?: string; host?: string; dataDir?: string; logLevel?: string }) => {
    const overrides: Record<string, unknown> = {};
    if (opts.host) overrides["bindHost"] = opts.host;
    if (opts.dataDir) overrides["dataDir"] = opts.dataDir;
    if (opts.logLevel) overrides["logLevel"] = opts.logLevel;
    const config = loadServerConfig({ file: opts.config, env: process.env, overrides });
    const server = await serve(config);
    for (const s of server.services) process.stdout.write(`${s.name.padEnd(14)} ${s.url}\n`);
    installShutdownHandlers([server], { timeoutMs: 10_000 });
  });

program.option("-c, --config <file>", "YAML or JSON configuration file (also STRATUS_CONFIG)");
program.option("--data-dir <dir>", "where the embedded default keeps its state (default ~/.stratus)");
registerAdminCommands(program, () => {
  const opts = program.opts<{ config?: string; dataDir?: string }>();
  return {
    file: opts.config ?? process.env["STRATUS_CONFIG"],
    env: process.env,
    overrides: opts.dataDir ? { dataDir: opts.dataDir } : {},
  };
});

registerNetworkCommands(program, () => {
  const opts = program.opts<{ config?: string; dataDir?: string }>();
  return loadServerConfig({
    file: opts.config ?? process.env["STRATUS_CONFIG"],
    env: process.env,
    overrides: opts.dataDir ? { dataDir: opts.dataDir } : {},
  });
});

program.parseAsync(process.argv).catch((err: unknown) => {
  // a configuration or start-up error is the user's to fix: say it plainly, no stack trace
  if (StratusError.is(err) && err.code !== "internal") process.stderr.write(`stratus: ${err.message}\n`);
  else if (err instanceof Error && "code" in err && err.code === "EADDRINUSE")
    process.stderr.write(`stratus: ${err.message} (another process holds the port; see --help for ports)\n`);
  else process.stderr.write(`stratus: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
