/**
 * An image API app with the import routes on: in-memory records and tasks, a filesystem store and
 * a staging area in temp directories, tokens "admin", "member" (p-member) and "other" (p-other),
 * and the import runner so a test can await the background work (`idle`).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServiceApp, type ServiceApp, StaticAuthenticator } from "@stratus/core/http";
import type { ImageApiDeps } from "../context.js";
import { FilesystemStore } from "../fs-store.js";
import { registerImageRoutes } from "../index.js";
import { MemoryImageRepository } from "../memory-repository.js";
import { MemoryTaskRepository } from "../tasks.js";
import type { CallOptions, CallResult } from "../testing.js";
import { ImportRunner } from "./runner.js";

export interface ImportTestApp {
  readonly app: ServiceApp;
  readonly repository: MemoryImageRepository;
  readonly tasks: MemoryTaskRepository;
  readonly imports: ImportRunner;
  /** Sends a request; a Buffer body goes as octet-stream, anything else as JSON. */
  call(method: string, url: string, body?: unknown, options?: CallOptions): Promise<CallResult>;
  /** File names in the store, the staging area and the conversion work directory. */
  files(): { store: string[]; staging: string[]; work: string[] };
  close(): Promise<void>;
}

/** Options beyond the defaults: any of the image API deps the import reads. */
export type ImportTestOptions = Pick<ImageApiDeps, "conversion" | "webDownload" | "quotas"> & {
  readonly maxSize?: number;
  /** Leave the staging area out (no import method offered). */
  readonly withoutStaging?: boolean;
};

export async function importTestApp(options: ImportTestOptions = {}): Promise<ImportTestApp> {
  const root = mkdtempSync(join(tmpdir(), "stratus-glance-import-"));
  const dirs = { store: join(root, "images"), staging: join(root, "staging"), work: join(root, "work") };
  const max = options.maxSize === undefined ? {} : { maxSize: options.maxSize };
  const repository = new MemoryImageRepository();
  const tasks = new MemoryTaskRepository();
  const imports = new ImportRunner();
  const app = createServiceApp({
    service: "image",
    authenticator: new StaticAuthenticator({
      admin: { userId: "u-admin", projectId: "p-admin", roles: ["admin", "member", "reader"], isAdmin: true },
      member: { userId: "u-member", projectId: "p-member", roles: ["member", "reader"] },
      other: { userId: "u-other", projectId: "p-other", roles: ["member", "reader"] },
    }),
    identityUri: "http://127.0.0.1:5000",
  });
  registerImageRoutes(app, {
    repository,
    store: new FilesystemStore({ directory: dirs.store, ...max }),
    ...(options.withoutStaging ? {} : { staging: new FilesystemStore({ directory: dirs.staging, ...max }) }),
    tasks,
    imports,
    conversionWorkDir: dirs.work,
    ...(options.conversion === undefined ? {} : { conversion: options.conversion }),
    ...(options.webDownload === undefined ? {} : { webDownload: options.webDownload }),
    ...(options.quotas === undefined ? {} : { quotas: options.quotas }),
  });
  await app.ready();
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return {
    app,
    repository,
    tasks,
    imports,
    async call(method, url, body, callOptions = {}) {
      const headers: Record<string, string> = { accept: "application/json", ...callOptions.headers };
      const token = callOptions.token === undefined ? "member" : callOptions.token;
      if (token !== null) headers["x-auth-token"] = token;
      let payload: string | Buffer | undefined;
      if (Buffer.isBuffer(body)) {
        headers["content-type"] ??= "application/octet-stream";
        payload = body;
      } else if (body !== undefined) {
        headers["content-type"] ??= "application/json";
        payload = typeof body === "string" ? body : JSON.stringify(body);
      }
      const res = await app.inject({
        method: method as "GET",
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      let parsed: unknown;
      try {
        parsed = res.body === "" ? undefined : JSON.parse(res.body);
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, headers: res.headers, body: parsed, raw: res.rawPayload };
    },
    files: () => ({ store: list(dirs.store), staging: list(dirs.staging), work: list(dirs.work) }),
    async close() {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
