import { randomBytes } from "node:crypto";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ImportTestApp, importTestApp } from "./import/testing.js";
import { addressRefusal, uriRefusal, type WebDownloadOptions } from "./web-download.js";

describe("uriRefusal (Glance's import filters with its defaults, plus literal addresses)", () => {
  it.each([
    ["http://images.example.com/cirros.img", null],
    ["https://images.example.com/cirros.img", null],
    ["ftp://images.example.com/cirros.img", "scheme ftp"],
    ["file:///etc/passwd", "scheme file"],
    ["http://images.example.com:8080/x", "port 8080"],
    ["http://127.0.0.1/x", "loopback"],
    ["http://169.254.169.254/latest/meta-data/", "link-local"],
    ["http://[::1]/x", "loopback"],
    ["http://[fe80::1]/x", "link-local"],
    ["http://[::ffff:127.0.0.1]/x", "loopback"],
    ["http://0.0.0.0/x", "loopback"],
    ["http://10.1.2.3/x", "private"],
    ["http://2130706433/x", "loopback"],
    ["http://0x7f000001/x", "loopback"],
    ["http://127.1/x", "loopback"],
    ["http://user:pw@images.example.com/x", "credentials"],
    ["not a url", "not a valid URL"],
  ])("%s -> %s", (uri, reason) => {
    const why = uriRefusal(uri);
    if (reason === null) expect(why).toBeNull();
    else expect(why).toContain(reason);
  });

  it("lets an allowed host through the address rules, but not on another port", () => {
    const options = { allowedHosts: ["127.0.0.1"], allowedPorts: [8080] };
    expect(uriRefusal("http://127.0.0.1:8080/x", options)).toBeNull();
    expect(uriRefusal("http://127.0.0.1:8081/x", options)).toContain("port 8081");
    expect(uriRefusal("http://localhost:8080/x", options)).toContain("host localhost");
  });

  it("lets a trusted host through the address rules without closing the door to other hosts", () => {
    const options = { trustedHosts: ["127.0.0.1"], allowedPorts: [80, 8080] };
    expect(uriRefusal("http://127.0.0.1:8080/x", options)).toBeNull();
    expect(uriRefusal("http://images.example.com/x", options)).toBeNull();
    expect(uriRefusal("http://127.0.0.2:8080/x", options)).toContain("loopback");
    expect(uriRefusal("http://169.254.169.254/x", options)).toContain("link-local");
  });

  it("accepts private addresses only when configured to", () => {
    expect(addressRefusal("192.168.1.10")).toContain("private");
    expect(addressRefusal("192.168.1.10", { allowPrivateAddresses: true })).toBeNull();
    expect(addressRefusal("169.254.169.254", { allowPrivateAddresses: true })).toContain("link-local");
  });
});

// ---- end to end: loopback servers this test starts, allowed exactly by host and port ----

const servers: Server[] = [];
let t: ImportTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

const allowing = (port: number, extra: WebDownloadOptions = {}): WebDownloadOptions => ({
  allowedHosts: ["127.0.0.1"],
  allowedPorts: [port],
  ...extra,
});

async function webDownload(options: WebDownloadOptions, uri: string) {
  t = await importTestApp({ webDownload: options });
  const id = (await t.call("POST", "/v2/images", { name: "w", disk_format: "raw", container_format: "bare" })).body.id;
  const res = await t.call("POST", `/v2/images/${id}/import`, { method: { name: "web-download", uri } });
  await t.imports.idle();
  const image = (await t.call("GET", `/v2/images/${id}`)).body;
  const tasks = (await t.call("GET", `/v2/images/${id}/tasks`)).body.tasks;
  return { res, image, task: tasks[0], files: t.files() };
}

const expectQueuedWithNothing = (r: Awaited<ReturnType<typeof webDownload>>) => {
  expect(r.image).toMatchObject({ status: "queued", size: null, checksum: null });
  expect(r.files).toEqual({ store: [], staging: [], work: [] });
};

describe("web-download import", () => {
  it("downloads from the allowed loopback server and makes the image active", async () => {
    const bytes = randomBytes(300_000);
    const port = await serve((_q, s) => s.end(bytes));
    const r = await webDownload(allowing(port), `http://127.0.0.1:${port}/disk.raw`);
    expect(r.res.status).toBe(202);
    expect(r.image).toMatchObject({ status: "active", size: bytes.length, disk_format: "raw" });
    expect(r.task).toMatchObject({ status: "success", input: { import_req: { method: { name: "web-download" } } } });
    expect(r.files.staging).toEqual([]);
  });

  it.each([
    ["a loopback server on another port", (other: number) => `http://127.0.0.1:${other}/secret`],
    ["the link-local metadata address", () => "http://169.254.169.254/latest/meta-data/"],
  ])("refuses a redirect from the allowed server to %s: queued, no bytes", async (_what, target) => {
    let secretHits = 0;
    const other = await serve((_q, s) => {
      secretHits++;
      s.end("secret");
    });
    const port = await serve((_q, s) => s.writeHead(302, { location: target(other) }).end());
    const r = await webDownload(allowing(port), `http://127.0.0.1:${port}/disk.raw`);
    expect(r.res.status).toBe(202);
    expect(r.task.status).toBe("failure");
    expect(r.task.message).toContain("Redirect to disallowed URL");
    expect(secretHits).toBe(0);
    expectQueuedWithNothing(r);
  });

  it.each([
    ["a link-local address", "http://169.254.169.254/latest/meta-data/"],
    ["a disallowed port", "http://127.0.0.1:22/"],
    ["a disallowed scheme", "file:///etc/passwd"],
    ["an ftp URL", "ftp://127.0.0.1/x"],
  ])("answers 400 to a URI with %s and leaves the image queued without bytes", async (_what, uri) => {
    const port = await serve((_q, s) => s.end("x"));
    const r = await webDownload(allowing(port), uri);
    expect(r.res.status).toBe(400);
    expect(r.res.body.message).toContain("URI for web-download does not pass filtering");
    expect(r.task).toBeUndefined();
    expectQueuedWithNothing(r);
  });

  it("refuses a host name that resolves to loopback or link-local when no host is explicitly allowed", async () => {
    let hits = 0;
    const port = await serve((_q, s) => {
      hits++;
      s.end("x");
    });
    const resolve = async (host: string) => [
      { address: host === "meta.test" ? "169.254.169.254" : "127.0.0.1", family: 4 },
    ];
    for (const host of ["meta.test", "rebind.test"]) {
      const r = await webDownload({ allowedPorts: [port], resolve }, `http://${host}:${port}/x`);
      expect(r.task.status).toBe("failure");
      expect(r.task.message).toMatch(/loopback, link-local or reserved/);
      expectQueuedWithNothing(r);
      await t?.close();
      t = undefined;
    }
    expect(hits).toBe(0);
  });

  it("connects to the address it checked, resolving each host once (no DNS rebinding)", async () => {
    const port = await serve((q, s) => s.end(`host=${q.headers.host}`));
    const asked: string[] = [];
    const resolve = async (host: string) => {
      asked.push(host);
      // a rebinding resolver would answer differently the second time
      return [{ address: asked.length === 1 ? "127.0.0.1" : "169.254.169.254", family: 4 }];
    };
    const r = await webDownload(
      { allowedHosts: ["images.test"], allowedPorts: [port], resolve },
      `http://images.test:${port}/x`,
    );
    expect(r.image.status).toBe("active");
    expect(asked).toEqual(["images.test"]);
  });

  it.each([
    [
      "a body over maxBytes",
      { maxBytes: 1000 },
      (_q: unknown, s: import("node:http").ServerResponse) => s.end(randomBytes(5000)),
      "too large",
    ],
    ["an HTTP 404", {}, (_q: unknown, s: import("node:http").ServerResponse) => s.writeHead(404).end(), "HTTP 404"],
    ["a server that never answers", { idleTimeoutMs: 200 }, () => undefined, "timed out"],
    [
      "too many redirects",
      { maxRedirects: 2 },
      (q: { url?: string }, s: import("node:http").ServerResponse) => s.writeHead(302, { location: `${q.url}x` }).end(),
      "Too many redirects",
    ],
  ])("fails the task on %s: queued, no bytes", async (_what, extra, handler, message) => {
    const port = await serve(handler as RequestListener);
    const r = await webDownload(allowing(port, extra), `http://127.0.0.1:${port}/x`);
    expect(r.task.status).toBe("failure");
    expect(r.task.message).toContain(message);
    expectQueuedWithNothing(r);
  });

  it("fails the task when the body is shorter than its Content-Length", async () => {
    const port = await serve((_q, s) => {
      s.writeHead(200, { "content-length": "1000" });
      s.write(randomBytes(10));
      s.socket?.destroy();
    });
    const r = await webDownload(allowing(port), `http://127.0.0.1:${port}/x`);
    expect(r.task.status).toBe("failure");
    expectQueuedWithNothing(r);
  });
});
