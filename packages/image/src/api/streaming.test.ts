import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ImageTestApp, imageTestApp } from "./testing.js";

let t: ImageTestApp;
let port: number;
beforeEach(async () => {
  t = await imageTestApp();
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
});
afterEach(() => t.close());

/** A chunked PUT (no Content-Length); `abortAfter` destroys the socket after that many chunks. */
function chunkedPut(id: string, chunks: readonly Buffer[], abortAfter?: number): Promise<number | "aborted"> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      method: "PUT",
      path: `/v2/images/${id}/file`,
      headers: { "x-auth-token": "member", "content-type": "application/octet-stream", "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (e) => (abortAfter === undefined ? reject(e) : resolve("aborted")));
    let i = 0;
    const next = (): void => {
      if (abortAfter !== undefined && i === abortAfter) {
        req.destroy();
        resolve("aborted");
        return;
      }
      const chunk = chunks[i++];
      if (chunk === undefined) req.end();
      else req.write(chunk, next);
    };
    next();
  });
}

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not reached");
};

describe("chunked uploads over a real socket", () => {
  it("stores 8 MiB sent in 64 KiB chunks (past the 1 MiB JSON body limit) with the right checksum", async () => {
    const id = (await t.call("POST", "/v2/images", { disk_format: "raw", container_format: "bare" })).body.id;
    const chunks = Array.from({ length: 128 }, () => randomBytes(65536));
    expect(await chunkedPut(id, chunks)).toBe(204);
    const image = (await t.call("GET", `/v2/images/${id}`)).body;
    expect(image.status).toBe("active");
    expect(image.size).toBe(8 * 2 ** 20);
    expect(image.checksum).toBe(createHash("md5").update(Buffer.concat(chunks)).digest("hex"));
  });

  it("puts an image whose upload is cut off back to queued with no bytes left in the store", async () => {
    const id = (await t.call("POST", "/v2/images", { disk_format: "raw", container_format: "bare" })).body.id;
    const chunks = Array.from({ length: 64 }, () => randomBytes(65536));
    expect(await chunkedPut(id, chunks, 10)).toBe("aborted");
    await until(async () => (await t.call("GET", `/v2/images/${id}`)).body.status === "queued");
    await until(async () => t.storedFiles().length === 0);
    expect((await t.call("GET", `/v2/images/${id}/file`)).status).toBe(204);
  });
});
