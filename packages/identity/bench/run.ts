/**
 * `pnpm bench` for @stratus/identity: prints the machine, then every figure: tokens (side by side
 * with Keystone's TokenFormatter), password hashing, policy, validation over HTTP (side by side
 * with Keystone 22 under uwsgi) and memory with 100k users and 1M role assignments.
 *
 *   pnpm --filter @stratus/identity bench
 *   (or one part: npx tsx --conditions @stratus/source packages/identity/bench/http.ts)
 */
import { cpus, totalmem } from "node:os";
import { benchHttp } from "./http.js";
import { benchMemory } from "./memory.js";
import { benchPassword } from "./password.js";
import { benchPolicy } from "./policy.js";
import { benchToken } from "./token.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** Prints the title, then runs the part (whose own lines land under it) and prints its figures. */
async function section(title: string, run: () => Figure[] | Promise<Figure[]>): Promise<void> {
  console.log(`\n${title}`);
  for (const f of await run()) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 2 : 0);
    console.log(`  ${f.name.padEnd(72)} ${value.padStart(10)} ${f.unit}`);
  }
}

const cpu = cpus();
console.log(
  `machine: ${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
await section("token (TokenProvider in process; Keystone's TokenFormatter in python3)", benchToken);
await section("password (bcrypt)", benchPassword);
await section("policy", benchPolicy);
await section("validation over HTTP: GET /v3/auth/tokens (autocannon, loopback, c=32)", benchHttp);
await section("memory: 100k users, 1k projects, 1M role assignments (fresh process)", benchMemory);
