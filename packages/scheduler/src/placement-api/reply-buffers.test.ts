import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { ReplyBuffers } from "./reply-buffers.js";

const MB = 1024 * 1024;
const reply = () => new EventEmitter() as unknown as ServerResponse;

describe("ReplyBuffers", () => {
  it("hands a body's memory out again only after its reply finished", () => {
    const buffers = new ReplyBuffers();
    const first = buffers.take(MB);
    const res = reply();
    buffers.reuseAfter(res, first.subarray(0, 1000));
    expect(buffers.take(MB).buffer).not.toBe(first.buffer);
    res.emit("finish");
    expect(buffers.take(MB).buffer).toBe(first.buffer);
    expect(buffers.take(MB).buffer).not.toBe(first.buffer);
  });

  it.each([
    ["its reply closed without finishing (the socket may still hold it)", (res: ServerResponse) => res.emit("close")],
    ["it is smaller than the pooling threshold", (res: ServerResponse) => res.emit("finish")],
  ])("never hands a body's memory out again when %s", (why, end) => {
    const buffers = new ReplyBuffers();
    const size = why.includes("smaller") ? 1000 : MB;
    const body = buffers.take(size);
    const res = reply();
    buffers.reuseAfter(res, body);
    end(res);
    expect(buffers.take(size).buffer).not.toBe(body.buffer);
  });

  it("hands out a free buffer only when it is big enough, and keeps at most `keep`", () => {
    const buffers = new ReplyBuffers(1);
    const small = buffers.take(MB);
    const big = buffers.take(4 * MB);
    for (const b of [small, big]) {
      const res = reply();
      buffers.reuseAfter(res, b);
      res.emit("finish");
    }
    expect(buffers.take(2 * MB).buffer).not.toBe(small.buffer);
    expect(buffers.take(MB).buffer).toBe(small.buffer);
  });
});
