/**
 * `pnpm bench` for @stratus/core: prints the machine, then the http kit's figures (side by side
 * with bare Fastify) and the bus's (in-process and AMQP against the local RabbitMQ).
 * Run: pnpm --filter @stratus/core bench     (or one part: npx tsx packages/core/bench/http.ts)
 */
import { cpus, totalmem } from "node:os";
import { benchBus } from "./bus.js";
import { benchHttp } from "./http.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

function print(title: string, figures: readonly Figure[]): void {
  console.log(`\n${title}`);
  for (const f of figures) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 2 : 0);
    console.log(`  ${f.name.padEnd(64)} ${value.padStart(10)} ${f.unit}`);
  }
}

console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
print("http kit (autocannon, loopback, c=32)", await benchHttp());
print("bus", await benchBus());
