/**
 * Upload figure: `PUT /v2/images/{id}/file` of a 1 GiB raw disk (1 MiB blocks alternating random
 * data and zeros, written to disk first) over real HTTP on loopback, streamed from the file with
 * a keep-alive client, through the whole pipeline (md5 + sha512 + format inspection + fsync'd
 * filesystem store). Three runs, the median counts; `dd ... conv=fsync` of the same file onto
 * the same disk is the reference.
 */
import { execFileSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { createServiceApp, StaticAuthenticator } from "@stratus/core/http";
import { FilesystemStore, MemoryImageRepository, registerImageRoutes } from "../src/api/index.js";

export interface UploadFigures {
  /** MB/s (10^6 bytes) of each run, in run order. */
  readonly uploads: readonly number[];
  /** CPU seconds (user + system, every thread of the process, the client's included) of each run. */
  readonly cpu: readonly number[];
  /** MB/s of `dd bs=1M conv=fsync` of the same file into the store's directory, each run. */
  readonly dd: readonly number[];
  readonly size: number;
}

function writeHalfRandom(path: string, size: number): void {
  const fd = openSync(path, "w");
  const block = new Uint8Array(2 ** 20);
  try {
    for (let at = 0, i = 0; at < size; at += block.length, i++) {
      if (i % 2 === 0) randomFillSync(block);
      else block.fill(0);
      writeSync(fd, block, 0, block.length, at);
    }
  } finally {
    closeSync(fd);
  }
}

type Body = string | { readonly file: string; readonly size: number };
type Send = (method: string, path: string, body: Body) => Promise<string>;

// The client runs on its own thread (as it would on another machine), with one keep-alive socket.
const CLIENT_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { Agent, request } = require("node:http");
const { createReadStream } = require("node:fs");
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
parentPort.on("message", ({ id, method, path, body }) => {
  const json = typeof body === "string";
  const req = request({ host: "127.0.0.1", port: workerData.port, method, path, agent, headers: {
    "x-auth-token": "bench",
    "content-type": json ? "application/json" : "application/octet-stream",
    "content-length": json ? Buffer.byteLength(body) : body.size,
  } }, (res) => {
    const parts = [];
    res.on("data", (b) => parts.push(b));
    res.on("end", () => parentPort.postMessage({ id, status: res.statusCode, text: Buffer.concat(parts).toString() }));
  });
  req.on("error", (e) => parentPort.postMessage({ id, status: 0, text: String(e) }));
  if (json) req.end(body);
  else createReadStream(body.file, { highWaterMark: 1 << 20 }).pipe(req);
});
`;

function client(port: number): { send: Send; close(): Promise<number> } {
  const worker = new Worker(CLIENT_SOURCE, { eval: true, workerData: { port } });
  const waiting = new Map<number, (reply: { status: number; text: string }) => void>();
  worker.on("message", (m: { id: number; status: number; text: string }) => waiting.get(m.id)?.(m));
  let next = 0;
  const send: Send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, ({ status, text }) => {
        waiting.delete(id);
        if (status < 200 || status >= 300) reject(new Error(`${method} ${path}: ${status} ${text}`));
        else resolve(text);
      });
      worker.postMessage({ id, method, path, body });
    });
  return { send, close: () => worker.terminate() };
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Runs three uploads and three `dd` copies of a `size`-byte disk; MB/s of each. */
export async function benchUpload(size = 2 ** 30, runs = 3): Promise<UploadFigures> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-upload-bench-"));
  const source = join(dir, "disk.raw");
  const storeDir = join(dir, "store");
  writeHalfRandom(source, size);
  const app = createServiceApp({
    service: "image",
    authenticator: new StaticAuthenticator({ bench: { userId: "u-bench", projectId: "p-bench", roles: ["member"] } }),
    identityUri: "http://127.0.0.1:5000",
  });
  registerImageRoutes(app, {
    repository: new MemoryImageRepository(),
    store: new FilesystemStore({ directory: storeDir }),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const http = client((app.server.address() as AddressInfo).port);
  const mbps = (started: bigint) => size / 1e6 / (Number(process.hrtime.bigint() - started) / 1e9);
  try {
    const uploads: number[] = [];
    const cpu: number[] = [];
    const dd: number[] = [];
    for (let i = 0; i < runs; i++) {
      const image = JSON.parse(
        await http.send("POST", "/v2/images", JSON.stringify({ disk_format: "raw", container_format: "bare" })),
      );
      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      await http.send("PUT", `/v2/images/${image.id}/file`, { file: source, size: statSync(source).size });
      uploads.push(mbps(started));
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1e6);
      await http.send("DELETE", `/v2/images/${image.id}`, "");
      const ddStarted = process.hrtime.bigint();
      execFileSync("dd", [`if=${source}`, `of=${join(storeDir, "dd.copy")}`, "bs=1M", "conv=fsync"], {
        stdio: "ignore",
      });
      dd.push(mbps(ddStarted));
      rmSync(join(storeDir, "dd.copy"), { force: true });
    }
    return { uploads, cpu, dd, size };
  } finally {
    await http.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the median upload and dd throughputs and their ratio. */
export function printUpload(f: UploadFigures): void {
  const up = median(f.uploads);
  const dd = median(f.dd);
  const runs = (v: readonly number[]) => v.map((x) => x.toFixed(0)).join(", ");
  console.log(
    `\nupload: PUT /v2/images/{id}/file, ${f.size / 2 ** 30} GiB raw (half random), loopback HTTP, md5 + sha512 + inspection, median of ${f.uploads.length}`,
  );
  console.log(`  ${"upload".padEnd(40)} ${up.toFixed(0).padStart(8)} MB/s  (runs ${runs(f.uploads)}; target >= 400)`);
  console.log(
    `  ${"dd bs=1M conv=fsync, same file, same disk".padEnd(40)} ${dd.toFixed(0).padStart(8)} MB/s  (runs ${runs(f.dd)})`,
  );
  console.log(`  ${"ratio upload / dd".padEnd(40)} ${(up / dd).toFixed(2).padStart(8)}x`);
  const cpuPerGiB = median(f.cpu) / (f.size / 2 ** 30);
  console.log(`  ${"CPU per GiB uploaded (server + client)".padEnd(40)} ${cpuPerGiB.toFixed(2).padStart(8)} s`);
}
