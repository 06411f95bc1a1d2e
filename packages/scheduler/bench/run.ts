/**
 * `pnpm bench` for @stratus/scheduler: allocation candidates (Placement core, in process), full
 * host selection (filters + weighers), and GET /allocation_candidates over HTTP side by side with
 * the real OpenStack Placement (http.ts: the peer runs when installed or STRATUS_BENCH_PEER=1;
 * STRATUS_BENCH_PEER=0 leaves it out). Run: pnpm --filter @stratus/scheduler bench
 */
import { cpus, totalmem } from "node:os";
import { benchCandidates } from "./candidates.js";
import { benchHttp } from "./http.js";
import { benchSelect } from "./select.js";
import { benchStore } from "./store.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

function print(title: string, figures: readonly Figure[]): void {
  console.log(`\n${title}`);
  for (const f of figures)
    console.log(`  ${f.name.padEnd(72)} ${f.value.toFixed(f.value < 10 ? 2 : 0).padStart(10)} ${f.unit}`);
}

console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
print("allocation candidates (in process)", await benchCandidates());
print("host selection: 10 filters + 6 weighers (in process)", await benchSelect());
console.log("\nGET /allocation_candidates over HTTP, side by side with OpenStack Placement (uwsgi, 2 processes)");
print("over HTTP: every figure", await benchHttp());
print("placement writes made durable (claims, 200 providers)", await benchStore());
