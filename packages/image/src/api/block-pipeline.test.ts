import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BlockPipeline } from "./block-pipeline.js";

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const sha512 = (b: Uint8Array) => createHash("sha512").update(b).digest("hex");

/** Pushes `data` in chunks of `chunkSize`; returns the digests and what the writer got, in order. */
async function run(data: Buffer, chunkSize: number, blockSize: number, blocks = 3) {
  const written: Buffer[] = [];
  const pipeline = new BlockPipeline(
    async (block) => {
      written.push(Buffer.from(block)); // the block is reused afterwards: keep a copy
    },
    { blockSize, blocks },
  );
  for (let at = 0; at < data.length; at += chunkSize) await pipeline.push(data.subarray(at, at + chunkSize));
  return { digests: await pipeline.finish(), written };
}

describe("BlockPipeline", () => {
  it.each([
    ["chunks smaller than a block", 100_000, 7_000, 16_384],
    ["chunks larger than a block, across the ring several times", 300_000, 50_000, 4_096],
    ["chunks that fill blocks exactly", 65_536, 8_192, 8_192],
    ["one chunk smaller than a block", 1_000, 1_000, 4_096],
    ["no bytes at all", 0, 1, 4_096],
  ])("hashes and writes %s as the bytes were sent", async (_name, size, chunkSize, blockSize) => {
    const data = randomBytes(size);
    const { digests, written } = await run(data, chunkSize, blockSize);
    expect(digests).toEqual({ md5: md5(data), sha512: sha512(data) });
    expect(Buffer.concat(written).equals(data)).toBe(true);
    expect(written.every((b) => b.length === blockSize || b === written.at(-1))).toBe(true);
  });

  it("waits while every block is in use: a slow writer holds the sender back to the ring's size", async () => {
    let release: (() => void) | undefined;
    let writes = 0;
    const pipeline = new BlockPipeline(
      async () => {
        writes++;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      { blockSize: 1024, blocks: 2 },
    );
    let pushed = 0;
    const sending = (async () => {
      for (let i = 0; i < 10; i++) {
        await pipeline.push(new Uint8Array(1024));
        pushed++;
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    // block 0 is being written, block 1 waits: the third push waits for block 0
    expect([writes, pushed]).toEqual([1, 2]);
    for (let i = 0; i < 10; i++) {
      release?.();
      await new Promise((r) => setTimeout(r, 20));
    }
    await sending;
    await pipeline.finish();
    expect(writes).toBe(10);
  });

  it("rejects the next push, or finish, with the writer's error, and abort then settles", async () => {
    const pipeline = new BlockPipeline(
      async () => {
        throw new Error("disk full");
      },
      { blockSize: 16, blocks: 2 },
    );
    const sending = (async () => {
      for (let i = 0; i < 100; i++) await pipeline.push(new Uint8Array(16));
      await pipeline.finish();
    })();
    await expect(sending).rejects.toThrow("disk full");
    await expect(pipeline.abort()).resolves.toBeUndefined();
  });

  it("keeps concurrent pipelines apart on the shared workers", async () => {
    const inputs = [randomBytes(200_000), randomBytes(150_000), randomBytes(10)];
    const results = await Promise.all(inputs.map((data) => run(data, 9_999, 8_192)));
    expect(results.map((r) => r.digests)).toEqual(inputs.map((d) => ({ md5: md5(d), sha512: sha512(d) })));
  });
});
