import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HashPool, type JobListener } from "./hash-pool.js";

/** A listener that records what it hears and resolves on the digest or the failure. */
function listen() {
  let updates = 0;
  let settle: (outcome: { digest?: string; error?: string }) => void = () => undefined;
  const outcome = new Promise<{ digest?: string; error?: string }>((resolve) => {
    settle = resolve;
  });
  const listener: JobListener = {
    updated: () => updates++,
    digested: (digest) => settle({ digest }),
    failed: (error) => settle({ error: error.message }),
  };
  return { listener, outcome, updates: () => updates };
}

describe("HashPool", () => {
  it("hashes blocks of shared memory in the order sent and acknowledges each", async () => {
    const memory = new SharedArrayBuffer(8);
    const bytes = new Uint8Array(memory);
    bytes.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const { listener, outcome, updates } = listen();
    const job = new HashPool(1).begin("sha512", memory, listener);
    job.update(4, 4);
    job.update(0, 2);
    job.digest();
    const expected = createHash("sha512")
      .update(Buffer.from([5, 6, 7, 8, 1, 2]))
      .digest("hex");
    expect(await outcome).toEqual({ digest: expected });
    expect(updates()).toBe(2);
  });

  it("reports a failure instead of hanging when the worker cannot run the job", async () => {
    const { listener, outcome } = listen();
    const job = new HashPool(1).begin("no-such-hash", new SharedArrayBuffer(4), listener);
    job.update(0, 4);
    job.digest();
    expect((await outcome).error).toMatch(/digest|hash|unsupported|invalid/i);
  });
});
