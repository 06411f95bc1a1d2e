import { writeFileSync } from "node:fs";
import { StratusError } from "@stratus/core";
import { afterAll, describe, expect, it } from "vitest";
import { assertSafe } from "./assert-safe.js";
import { inspectFile } from "./io.js";
import { imageDir, inspectInChunks } from "./testing.js";
import type { FindingCode, Verdict } from "./types.js";

const dir = imageDir();
afterAll(() => dir.remove());

/** A qcow2 qemu-img made, with bytes patched in (big-endian fields, as qcow2 stores them). */
function patchedQcow2(name: string, patch: (b: Uint8Array, v: DataView) => void, size = "1G"): Uint8Array {
  dir.create(name, "qcow2", size);
  const bytes = dir.read(name);
  patch(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return bytes;
}

function writeText(name: string, text: string): string {
  const path = `${dir.path}/${name}`;
  writeFileSync(path, text);
  return path;
}

function isoDescriptorAt32K(b: Uint8Array): void {
  b[32768] = 1;
  b.set(new TextEncoder().encode("CD001"), 32769);
}

function mbrAt0(b: Uint8Array): void {
  b[446 + 4] = 0x83; // one Linux partition
  b[446 + 8] = 1;
  b[446 + 12] = 0xff;
  b[510] = 0x55;
  b[511] = 0xaa;
}

interface Bad {
  readonly name: string;
  readonly make: () => Uint8Array | Promise<Verdict>;
  readonly code: FindingCode;
  readonly reason: RegExp;
}

const corpus: Bad[] = [
  {
    name: "a qcow2 whose backing file is /etc/passwd",
    make: () => inspectFile(dir.create("backing.qcow2", "qcow2", "1G", undefined, ["-b", "/etc/passwd", "-F", "raw"])),
    code: "qcow2-backing-file",
    reason: /backing file "\/etc\/passwd"/,
  },
  {
    name: "a qcow2 with an external data file",
    make: () => inspectFile(dir.create("datafile.qcow2", "qcow2", "1G", `data_file=${dir.path}/host-file.raw`)),
    code: "qcow2-data-file",
    reason: /external data file ".*host-file\.raw"/,
  },
  {
    name: "a VMDK flat descriptor naming a host file",
    make: () =>
      inspectFile(
        writeText(
          "flat.vmdk",
          '# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\n# Extent description\nRW 2048 FLAT "/etc/shadow" 0\n\nddb.adapterType = "ide"\n',
        ),
      ),
    code: "vmdk-external-extent",
    reason: /FLAT "\/etc\/shadow"/,
  },
  {
    name: "a VMDK text descriptor that claims monolithicSparse but reads another file",
    make: () =>
      inspectFile(
        writeText(
          "sparse-desc.vmdk",
          '# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="monolithicSparse"\nRW 2048 SPARSE "../../../var/lib/glance/other.vmdk"\n',
        ),
      ),
    code: "vmdk-external-extent",
    reason: /reads data from another file/,
  },
  {
    name: "a VMDK whose createType is not monolithicSparse or streamOptimized",
    make: () =>
      inspectFile(
        writeText("vmfs.vmdk", '# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\nRW 2048 VMFS "disk-flat.vmdk"\n'),
      ),
    code: "vmdk-unsupported-create-type",
    reason: /createType "vmfs"/,
  },
  {
    name: "a monolithicSparse VMDK whose embedded descriptor was edited to a FLAT host extent",
    make: () => {
      dir.create("edited.vmdk", "vmdk", "1G");
      const b = dir.read("edited.vmdk");
      const text = new TextDecoder("latin1").decode(b.subarray(512, 10752));
      const edited = text.replace(/RW (\d+) SPARSE "[^"]*"/, 'RW $1 FLAT "/dev/sda" 0');
      b.set(new TextEncoder().encode(edited), 512);
      return b;
    },
    code: "vmdk-external-extent",
    reason: /FLAT "\/dev\/sda"/,
  },
  {
    name: "a raw/qcow2 polyglot (a qcow2 header with an MBR partition table)",
    make: () => patchedQcow2("mbr-poly.qcow2", mbrAt0),
    code: "polyglot",
    reason: /qcow2, mbr/,
  },
  {
    name: "an ISO/qcow2 polyglot (a qcow2 header with an ISO 9660 volume descriptor)",
    make: () => patchedQcow2("iso-poly.qcow2", isoDescriptorAt32K),
    code: "polyglot",
    reason: /qcow2, iso/,
  },
  {
    name: "a qcow2 with a VHD footer at its end",
    make: () => {
      dir.create("vhd-tail.vhd", "vpc", "1M", "subformat=fixed");
      const vhd = dir.read("vhd-tail.vhd");
      const qcow = patchedQcow2("vhd-poly.qcow2", () => {});
      const out = new Uint8Array(qcow.length + 512);
      out.set(qcow);
      out.set(vhd.subarray(vhd.length - 512), qcow.length);
      return out;
    },
    code: "polyglot",
    reason: /qcow2, vhd/,
  },
  {
    name: "a qcow2 cut inside its header",
    make: () => patchedQcow2("cut.qcow2", () => {}).subarray(0, 60),
    code: "header-truncated",
    reason: /needs 104 bytes, the file has 60/,
  },
  {
    name: "a qcow2 whose L1 table offset lies past the end of the file",
    make: () => patchedQcow2("l1-eof.qcow2", (_b, v) => v.setBigUint64(40, 0x10000000n)),
    code: "table-beyond-eof",
    reason: /L1 table at offset 268435456/,
  },
  {
    name: "a qcow2 whose refcount table lies past the end of the file",
    make: () => patchedQcow2("rc-eof.qcow2", (_b, v) => v.setUint32(56, 4096)),
    code: "table-beyond-eof",
    reason: /refcount table/,
  },
  {
    name: "a qcow2 whose size field was made huge without a matching L1 table",
    make: () => patchedQcow2("lying-size.qcow2", (_b, v) => v.setBigUint64(24, 2n ** 50n)),
    code: "qcow2-l1-too-small",
    reason: /L1 table has 2 entries, a virtual size of 1125899906842624 bytes needs 2097152/,
  },
  {
    name: "a qcow2 of 20 TiB (over the default 16 TiB cap)",
    make: () => inspectFile(dir.create("huge.qcow2", "qcow2", "20T")),
    code: "virtual-size-too-large",
    reason: /20 TiB exceeds the limit of 16 TiB/,
  },
  {
    name: "a qcow2 with unknown incompatible feature bits",
    make: () => patchedQcow2("unknown-bits.qcow2", (b) => (b[79] = (b[79] ?? 0) | 0x40)),
    code: "qcow2-unknown-incompatible-features",
    reason: /0x40/,
  },
  {
    name: "a qcow2 with an incompatible feature bit above bit 31",
    make: () => patchedQcow2("high-bits.qcow2", (b) => (b[72] = 0x80)),
    code: "qcow2-unknown-incompatible-features",
    reason: /above 31/,
  },
  {
    name: "a qcow2 marked dirty",
    make: () => patchedQcow2("dirty.qcow2", (b) => (b[79] = (b[79] ?? 0) | 1)),
    code: "qcow2-dirty",
    reason: /dirty/,
  },
  {
    name: "a qcow2 marked corrupt",
    make: () => patchedQcow2("corrupt.qcow2", (b) => (b[79] = (b[79] ?? 0) | 2)),
    code: "qcow2-corrupt",
    reason: /corrupt/,
  },
  {
    name: "a qcow2 encrypted with the legacy AES method",
    make: () => patchedQcow2("aes.qcow2", (_b, v) => v.setUint32(32, 1)),
    code: "qcow2-encrypted",
    reason: /crypt_method 1/,
  },
  {
    name: "a qcow2 of version 4",
    make: () => patchedQcow2("v4.qcow2", (_b, v) => v.setUint32(4, 4)),
    code: "qcow2-unsupported-version",
    reason: /version 4/,
  },
  {
    name: "a VHD differencing disk",
    make: () => {
      dir.create("diff.vhd", "vpc", "1G", "subformat=dynamic");
      const b = dir.read("diff.vhd");
      for (const at of [0, b.length - 512]) {
        const v = new DataView(b.buffer, at, 512);
        v.setUint32(60, 4);
        let sum = 0;
        v.setUint32(64, 0);
        for (let i = 0; i < 512; i++) sum += v.getUint8(i);
        v.setUint32(64, ~sum >>> 0);
      }
      return b;
    },
    code: "vhd-differencing",
    reason: /parent image/,
  },
];

describe("the malicious corpus", () => {
  it.each(corpus)("$name is rejected with $code", async (bad) => {
    const made = await bad.make();
    const verdict = made instanceof Uint8Array ? inspectInChunks(made, [65536]) : made;
    expect(verdict.safe).toBe(false);
    const finding = verdict.findings.find((f) => f.code === bad.code);
    expect(finding?.reason).toMatch(bad.reason);
    expect(finding?.severity).toBe("reject");
    expect(() => assertSafe(verdict)).toThrow(StratusError);
  });
});

describe("assertSafe", () => {
  it("passes a clean image of the declared format", async () => {
    const verdict = await inspectFile(dir.create("clean.qcow2", "qcow2", "1G"));
    expect(() => assertSafe(verdict, { expectedFormat: "qcow2" })).not.toThrow();
  });

  it("throws bad_request naming the mismatch when a qcow2 is declared raw", async () => {
    const verdict = await inspectFile(dir.create("declared-raw.qcow2", "qcow2", "1G"));
    let thrown: unknown;
    try {
      assertSafe(verdict, { expectedFormat: "raw" });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StratusError);
    expect((thrown as StratusError).code).toBe("bad_request");
    expect((thrown as StratusError).message).toMatch(/declared raw but its content is qcow2/);
  });

  it("gives every reason of a rejected image in one message", async () => {
    const verdict = await inspectFile(
      dir.create("two.qcow2", "qcow2", "20T", undefined, ["-b", "/etc/passwd", "-F", "raw"]),
    );
    expect(() => assertSafe(verdict, { expectedFormat: "qcow2" })).toThrow(
      /qcow2-backing-file.*virtual-size-too-large/,
    );
  });

  it("accepts a raw disk with a partition table and reports the table", () => {
    const disk = new Uint8Array(1 << 20);
    mbrAt0(disk);
    const verdict = inspectInChunks(disk, [4096]);
    expect(verdict).toMatchObject({ format: "raw", subformat: "mbr", safe: true });
    expect(verdict.findings.map((f) => f.code)).toEqual(["partition-table"]);
    expect(() => assertSafe(verdict, { expectedFormat: "raw" })).not.toThrow();
  });

  it("accepts a hybrid ISO (an ISO 9660 volume with an MBR) as an iso", () => {
    const disk = new Uint8Array(1 << 20);
    mbrAt0(disk);
    isoDescriptorAt32K(disk);
    const verdict = inspectInChunks(disk, [4096]);
    expect(verdict).toMatchObject({ format: "iso", safe: true });
  });
});
