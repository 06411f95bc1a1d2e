/**
 * @stratus/image's converter: a qcow2 that qemu-img made (data, zeros, a hole, zlib-compressed
 * clusters) is converted to a sparse raw disk, and qemu-img compare finds it identical to the
 * source; then the raw disk goes back to qcow2 and qemu-img check finds no error.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertRawToQcow2, convertToRaw } from "@stratus/image";

const dir = mkdtempSync(join(tmpdir(), "stratus-image-convert-example-"));
const qemuImg = (...args: string[]) => execFileSync("qemu-img", args, { encoding: "utf8" });
try {
  const image = join(dir, "disk.qcow2");
  qemuImg("create", "-q", "-f", "qcow2", image, "64M");
  execFileSync("qemu-io", [
    "-f",
    "qcow2",
    "-c",
    "write -P 0xab 0 1M",
    "-c",
    "write -z 8M 1M",
    "-c",
    "write -P 7 40M 3M",
    image,
  ]);
  const compressed = join(dir, "compressed.qcow2");
  qemuImg("convert", "-f", "qcow2", "-O", "qcow2", "-c", image, compressed);

  const raw = join(dir, "disk.raw");
  const result = await convertToRaw(compressed, raw, {
    format: "qcow2",
    onProgress: (p) => console.log(`progress: ${p.done} of ${p.total} bytes`),
  });
  const same = qemuImg("compare", "-f", "qcow2", "-F", "raw", compressed, raw).trim();
  const { size, blocks } = statSync(raw);
  console.log(`disk.raw: ${size} bytes, ${blocks * 512} on disk, ${result.dataBytes} data bytes written; ${same}`);

  const back = join(dir, "back.qcow2");
  await convertRawToQcow2(raw, back, { compress: true });
  const check = qemuImg("check", "-f", "qcow2", back);
  if (size !== 64 * 2 ** 20 || !same.includes("identical") || !check.includes("No errors")) {
    throw new Error("conversion did not round-trip");
  }
  console.log("ok: qcow2 -> raw identical to the source, raw -> qcow2 passes qemu-img check");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
