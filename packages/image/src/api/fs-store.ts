/**
 * Glance's filesystem store: one file per image under a directory, written to a temporary file
 * beside it and renamed into place, so a reader never sees half an image.
 */
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { badRequest, payloadTooLarge } from "@stratus/core/errors";
import type { ByteRange, ImageStore, StagedWrite } from "./store.js";

export interface FilesystemStoreOptions {
  /** The directory (created if missing). */
  readonly directory: string;
  /** Largest image in bytes (Glance's `image_size_cap`, default 1 TiB). */
  readonly maxSize?: number;
}

const ID = /^[0-9a-fA-F-]{1,64}$/;

export class FilesystemStore implements ImageStore {
  readonly directory: string;
  readonly maxSize: number;

  constructor(options: FilesystemStoreOptions) {
    this.directory = options.directory;
    this.maxSize = options.maxSize ?? 2 ** 40;
  }

  readonly id = "file";

  /** `file://` and the data's path (Glance's filesystem store location). */
  locationOf(id: string): string {
    return `file://${this.#path(id)}`;
  }

  #path(id: string): string {
    // ids come from the URL: never let one name a path outside the directory
    if (!ID.test(id)) throw badRequest(`Invalid image id ${id}`);
    return join(this.directory, id);
  }

  async begin(id: string): Promise<StagedWrite> {
    const final = this.#path(id);
    await mkdir(this.directory, { recursive: true });
    const temp = join(this.directory, `.${id}.${randomUUID()}.partial`);
    const handle: FileHandle = await open(temp, "wx");
    const maxSize = this.maxSize;
    let size = 0;
    let done = false;
    const abort = async (): Promise<void> => {
      if (done) return;
      done = true;
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
    };
    return {
      async write(chunk) {
        size += chunk.byteLength;
        if (size > maxSize) throw payloadTooLarge("The incoming image is too large: The provided image is too large.");
        await handle.write(chunk);
      },
      async commit() {
        await handle.sync();
        await handle.close();
        done = true;
        await rename(temp, final);
        return size;
      },
      abort,
    };
  }

  async read(id: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | null> {
    if (!(await this.has(id))) return null;
    return createReadStream(this.#path(id), { highWaterMark: 1 << 20, ...range });
  }

  async has(id: string): Promise<boolean> {
    try {
      return (await stat(this.#path(id))).isFile();
    } catch {
      return false;
    }
  }

  async delete(id: string): Promise<boolean> {
    const existed = await this.has(id);
    await rm(this.#path(id), { force: true });
    return existed;
  }

  async #names(): Promise<string[]> {
    try {
      return await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }

  /** The ids of the images this store holds committed data for, in no particular order. */
  async listIds(): Promise<string[]> {
    return (await this.#names()).filter((name) => ID.test(name));
  }

  /**
   * Removes the temporary files of writes that never committed or aborted (a process that died
   * mid-upload); returns how many. Call it only while no write is in progress, e.g. at start.
   */
  async sweep(): Promise<number> {
    const partial = (await this.#names()).filter((name) => name.startsWith(".") && name.endsWith(".partial"));
    for (const name of partial) await rm(join(this.directory, name), { force: true });
    return partial.length;
  }
}
