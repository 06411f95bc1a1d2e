import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestedRange } from "./range.js";
import { type ImageTestApp, imageTestApp } from "./testing.js";

let t: ImageTestApp;
beforeEach(async () => {
  t = await imageTestApp();
});
afterEach(() => t.close());

const bytes = randomBytes(1000);
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const activeImage = async (data: Buffer = bytes) => {
  const id = (await t.call("POST", "/v2/images", { name: "r", disk_format: "raw", container_format: "bare" })).body.id;
  expect((await t.call("PUT", `/v2/images/${id}/file`, data)).status).toBe(204);
  return id as string;
};
const download = (id: string, range: string, accept = "application/json") =>
  t.call("GET", `/v2/images/${id}/file`, undefined, { headers: { range, accept } });

describe("GET /v2/images/{id}/file with a Range header", () => {
  it.each([
    ["bytes=0-99 serves the first hundred bytes", "bytes=0-99", 0, 99],
    ["bytes=990- serves from byte 990 to the end", "bytes=990-", 990, 999],
    ["bytes=-10 serves the last ten bytes", "bytes=-10", 990, 999],
    ["an end past the last byte is clipped to it", "bytes=500-5000", 500, 999],
    ["a suffix longer than the image serves all of it", "bytes=-5000", 0, 999],
    ["bytes=-0 serves the whole image, as webob reads it", "bytes=-0", 0, 999],
    ["the unit and spaces are read as webob reads them", "Bytes = 10 - 19", 10, 19],
    ["a single byte", "bytes=999-999", 999, 999],
  ])("%s (206 with Content-Range and Content-Length)", async (_name, header, start, end) => {
    const id = await activeImage();
    const res = await download(id, header);
    expect(res.status).toBe(206);
    expect(res.headers["content-range"]).toBe(`bytes ${start}-${end}/1000`);
    expect(Number(res.headers["content-length"])).toBe(end - start + 1);
    expect(res.headers["content-md5"]).toBe(md5(bytes)); // Glance sends the whole image's checksum
    expect(Buffer.compare(res.raw, bytes.subarray(start, end + 1))).toBe(0);
  });

  it.each([
    [
      "a start at the size",
      "bytes=1000-",
      "Invalid start position in Range header. Start position MUST be in the inclusive range [0, 999].",
    ],
    [
      "a start past the size",
      "bytes=2000-3000",
      "Invalid start position in Range header. Start position MUST be in the inclusive range [0, 999].",
    ],
    ["an end before the start", "bytes=20-10", "Invalid Range header."],
    ["another unit", "items=0-10", "Invalid Range header."],
    ["no number at all", "bytes=-", "Invalid Range header."],
  ])("refuses %s with Glance's 416 fault", async (_name, header, detail) => {
    const id = await activeImage();
    const res = await download(id, header);
    expect(res.status).toBe(416);
    expect(res.body).toEqual({
      message: `The Range requested is not available.<br /><br />\n${detail}\n\n`,
      code: "416 Request Range Not Satisfiable",
      title: "Request Range Not Satisfiable",
    });
  });

  it("refuses several ranges with Glance's 400, not a multipart answer", async () => {
    const id = await activeImage();
    const res = await download(id, "bytes=0-1,5-6");
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      "Requests with multiple ranges are not supported in Glance. You may make multiple single-range requests instead.<br /><br />\n\n\n",
    );
  });

  it("renders the 416 as webob's plain text when no Accept is sent, like curl without -H", async () => {
    const id = await activeImage();
    const res = await t.app.inject({
      method: "GET",
      url: `/v2/images/${id}/file`,
      headers: { "x-auth-token": "member", range: "bytes=5000-" },
    });
    expect(res.statusCode).toBe(416);
    expect(res.body).toBe(
      "416 Request Range Not Satisfiable\n\nThe Range requested is not available.\n\n Invalid start position in Range header." +
        " Start position MUST be in the inclusive range [0, 999].  ",
    );
  });

  it("checks who may see the image before the range: a hidden image is a 404", async () => {
    const id = await activeImage();
    const res = await t.call("GET", `/v2/images/${id}/file`, undefined, { token: "other", headers: { range: "x" } });
    expect(res.status).toBe(404);
  });

  it("answers 204 for an image without data whatever the range", async () => {
    const id = (await t.call("POST", "/v2/images", { name: "q" })).body.id;
    expect((await download(id, "bytes=0-10")).status).toBe(204);
  });

  it("serves an empty image's suffix range as Glance: 206 with nothing in it", async () => {
    const id = await activeImage(Buffer.alloc(0));
    const res = await download(id, "bytes=-5");
    expect([res.status, res.headers["content-range"], res.raw.byteLength]).toEqual([206, "bytes 0--1/0", 0]);
    expect((await download(id, "bytes=0-")).status).toBe(416);
  });

  it("serves the whole image with 200 when no Range is sent", async () => {
    const id = await activeImage();
    const res = await t.call("GET", `/v2/images/${id}/file`);
    expect([res.status, res.headers["content-range"]]).toEqual([200, undefined]);
    expect(Buffer.compare(res.raw, bytes)).toBe(0);
  });
});

describe("requestedRange", () => {
  it.each([
    [undefined, 10, null],
    ["bytes=0-0", 10, { start: 0, end: 0 }],
    ["bytes=3-4junk", 10, { start: 3, end: 4 }],
    ["bytes=-3", 10, { start: 7, end: 9 }],
    ["bytes=-10", 10, { start: 0, end: 9 }],
  ])("reads %j of a %i-byte image as %j", (header, size, expected) => {
    expect(requestedRange(header, size)).toEqual(expected);
  });
});
