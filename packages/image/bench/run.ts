/**
 * `pnpm bench` for @stratus/image: the format inspector's, the converter's and the upload's figures.
 * Run: pnpm --filter @stratus/image bench
 */
import { cpus, totalmem } from "node:os";
import { benchConvert, printConvert } from "./convert.js";
import { benchBytesInspected, benchThroughput, type Figure } from "./inspect.js";
import { benchUpload, printUpload } from "./upload.js";

function print(title: string, figures: readonly Figure[]): void {
  console.log(`\n${title}`);
  for (const f of figures) console.log(`  ${f.name.padEnd(96)} ${f.value.toFixed(0).padStart(10)} ${f.unit}`);
}

console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
print(
  "format inspector: distinct bytes looked at before the verdict (images from qemu-img)",
  await benchBytesInspected(),
);
print("format inspector: throughput", [
  benchThroughput(64 * 1024),
  benchThroughput(1024 * 1024),
  benchThroughput(4 * 1024 * 1024),
]);
printConvert(await benchConvert());
printUpload(await benchUpload());
