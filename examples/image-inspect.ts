/**
 * @stratus/image's format inspector: a qcow2 that qemu-img made is inspected as it streams
 * (format, virtual size, cluster size), and a qcow2 whose backing file is /etc/passwd is refused
 * with a bad_request that says why, before any qemu-img sees it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StratusError } from "@stratus/core";
import { assertSafe, inspectFile } from "@stratus/image";

const dir = mkdtempSync(join(tmpdir(), "stratus-image-example-"));
try {
  const good = join(dir, "good.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", good, "2G"]);
  const verdict = await inspectFile(good);
  assertSafe(verdict, { expectedFormat: "qcow2" });
  console.log(
    `good.qcow2: ${verdict.format} ${verdict.subformat}, virtual ${verdict.virtualSize} bytes, cluster ${verdict.clusterSize}, ` +
      `${verdict.bytesInspected} of ${verdict.actualSize} bytes inspected, safe=${verdict.safe}`,
  );

  const bad = join(dir, "bad.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", bad, "2G"]);
  const badVerdict = await inspectFile(bad);
  let refused: StratusError | undefined;
  try {
    assertSafe(badVerdict, { expectedFormat: "qcow2" });
  } catch (e) {
    if (!(e instanceof StratusError)) throw e;
    refused = e;
  }
  console.log(`bad.qcow2: ${refused?.code}: ${refused?.message}`);
  if (verdict.virtualSize !== 2 * 2 ** 30 || refused?.code !== "bad_request") throw new Error("unexpected verdicts");
  console.log("ok: a clean qcow2 passed, a backing-file qcow2 was refused with its reason");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
