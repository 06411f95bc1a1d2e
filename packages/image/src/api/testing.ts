/**
 * An image API app for route tests: in-memory records, a filesystem store in a temp directory,
 * tokens "admin", "member" (project p-member) and "other" (project p-other).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServiceApp, type ServiceApp, StaticAuthenticator } from "@stratus/core/http";
import type { ImageApiDeps } from "./context.js";
import { FilesystemStore } from "./fs-store.js";
import { registerImageRoutes } from "./index.js";
import { MemoryImageRepository } from "./memory-repository.js";

export interface CallOptions {
  /** "member" (default), "admin", "other"; null sends no token. */
  readonly token?: "admin" | "member" | "other" | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  // biome-ignore lint/suspicious/noExplicitAny: route tests read fault and image bodies freely
  readonly body: any;
  readonly raw: Buffer;
}

export interface ImageTestApp {
  readonly app: ServiceApp;
  readonly repository: MemoryImageRepository;
  readonly store: FilesystemStore;
  /** Sends a request; a non-Buffer body goes as JSON. */
  call(method: string, url: string, body?: unknown, options?: CallOptions): Promise<CallResult>;
  /** File names in the store's directory (committed and partial). */
  storedFiles(): string[];
  close(): Promise<void>;
}

export interface ImageTestAppOptions {
  /** The store's size limit in bytes. */
  readonly maxSize?: number;
  /** More deps for `registerImageRoutes` (quotas, requireFormatMatch...). */
  readonly deps?: Partial<Omit<ImageApiDeps, "repository" | "store">>;
}

export async function imageTestApp(options: ImageTestAppOptions = {}): Promise<ImageTestApp> {
  const directory = mkdtempSync(join(tmpdir(), "stratus-glance-"));
  const repository = new MemoryImageRepository();
  const store = new FilesystemStore({
    directory,
    ...(options.maxSize === undefined ? {} : { maxSize: options.maxSize }),
  });
  const app = createServiceApp({
    service: "image",
    authenticator: new StaticAuthenticator({
      admin: { userId: "u-admin", projectId: "p-admin", roles: ["admin", "member", "reader"], isAdmin: true },
      member: { userId: "u-member", projectId: "p-member", roles: ["member", "reader"] },
      other: { userId: "u-other", projectId: "p-other", roles: ["member", "reader"] },
    }),
    identityUri: "http://127.0.0.1:5000",
  });
  registerImageRoutes(app, { ...options.deps, repository, store });
  await app.ready();
  return {
    app,
    repository,
    store,
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
    storedFiles: () => readdirSync(directory),
    async close() {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
