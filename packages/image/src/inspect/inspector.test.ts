import { describe, expect, it } from "vitest";
import { StreamCapture } from "./capture.js";
import { FormatInspector } from "./inspector.js";
import { imageDir } from "./testing.js";

describe("FormatInspector memory", () => {
  it("holds a few KiB while 256 MiB of zeros stream past a qcow2 header", () => {
    const dir = imageDir();
    try {
      dir.create("small.qcow2", "qcow2", "300M");
      const header = dir.read("small.qcow2");
      const inspector = new FormatInspector();
      inspector.push(header);
      const zeros = new Uint8Array(1 << 20);
      let peak = inspector.retainedBytes;
      for (let i = 0; i < 256; i++) {
        inspector.push(zeros);
        peak = Math.max(peak, inspector.retainedBytes);
      }
      expect(peak).toBeLessThanOrEqual(4096);
      const verdict = inspector.finish();
      expect(verdict.format).toBe("qcow2");
      expect(verdict.actualSize).toBe(header.length + 256 * 2 ** 20);
      expect(verdict.bytesInspected).toBeLessThan(8192);
    } finally {
      dir.remove();
    }
  });

  it("returns the same verdict from a second finish and refuses a push after it", () => {
    const inspector = new FormatInspector();
    inspector.push(new Uint8Array(10));
    expect(inspector.finish()).toBe(inspector.finish());
    expect(() => inspector.push(new Uint8Array(1))).toThrow(/after finish/);
  });
});

describe("StreamCapture", () => {
  it("delivers a range split across chunks and one asked for inside the chunk that completed another", () => {
    const capture = new StreamCapture();
    const got: string[] = [];
    capture.capture(2, 4, (b) => {
      got.push(`a:${[...b].join(",")}`);
      capture.capture(7, 2, (c) => got.push(`b:${[...c].join(",")}`));
    });
    capture.push(Uint8Array.of(0, 1, 2, 3));
    capture.push(Uint8Array.of(4, 5, 6, 7, 8, 9));
    expect(got).toEqual(["a:2,3,4,5", "b:7,8"]);
  });

  it("reports a range asked for after it streamed past, and delivers short ranges at the end", () => {
    const capture = new StreamCapture();
    capture.push(new Uint8Array(100));
    const lengths: number[] = [];
    capture.capture(10, 5, (b) => lengths.push(b.length));
    capture.capture(110, 50, (b) => lengths.push(b.length));
    capture.push(new Uint8Array(20));
    const end = capture.finish();
    expect(capture.missed).toEqual([[10, 5]]);
    expect(lengths).toEqual([0, 10]);
    expect(end.size).toBe(120);
  });

  it("keeps the last bytes of the stream whatever the chunk sizes", () => {
    const capture = new StreamCapture();
    const all = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    for (let at = 0, n = 1; at < all.length; at += n, n = (n * 7) % 997 || 1) capture.push(all.subarray(at, at + n));
    expect([...capture.finish().tail]).toEqual([...all.subarray(5000 - 1536)]);
  });
});
