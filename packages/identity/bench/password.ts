/**
 * Password hashing figures: bcrypt hashes per second at Keystone's default cost (12), one at a
 * time and two in parallel, and proof that the event loop stays responsive while eight logins
 * hash at once (bcrypt's async calls run on libuv's thread pool).
 *
 *   npx tsx packages/identity/bench/password.ts
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { PasswordHasher } from "../src/identity-users/service/password-hasher.js";

/** One figure. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const COST = 12;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function hashesPerSecond(hasher: PasswordHasher, parallel: number, total: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      await hasher.hash("correct horse battery staple");
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return total / ((performance.now() - started) / 1000);
}

/** Runs the password benchmarks and returns their figures. */
export async function benchPassword(options: { readonly hashes?: number } = {}): Promise<Figure[]> {
  const total = options.hashes ?? 8;
  const hasher = new PasswordHasher({ rounds: COST, maxLength: 4096, strict: false });
  await hasher.hash("warm-up");
  const single = await hashesPerSecond(hasher, 1, total);
  const double = await hashesPerSecond(hasher, 2, total);

  // Eight concurrent logins (verify at cost 12) while a 1 ms timer measures how late the loop runs.
  const stored = await hasher.hash("pw");
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 1);
  histogram.enable();
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, () => hasher.verify("pw", stored)));
  const elapsed = performance.now() - started;
  histogram.disable();
  clearInterval(timer);

  return [
    { name: `bcrypt cost ${COST} hashes, sequential`, value: round(single), unit: "hashes/s" },
    { name: `bcrypt cost ${COST} hashes, 2 in parallel`, value: round(double), unit: "hashes/s" },
    { name: "8 concurrent logins (cost 12): wall time", value: round(elapsed, 0), unit: "ms" },
    { name: "8 concurrent logins: max event-loop delay", value: round(histogram.max / 1e6), unit: "ms" },
    { name: "8 concurrent logins: 1 ms timer ticks during them", value: ticks, unit: "ticks" },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const f of await benchPassword()) console.log(`${f.name.padEnd(52)} ${String(f.value).padStart(8)} ${f.unit}`);
}
