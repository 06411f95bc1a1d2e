/**
 * One `api_image_import` task from start to end, as Glance's import flow: (web-download: fetch
 * into staging), read the staged bytes through the upload pass (hashes, inspector, assertSafe
 * against disk_format), optionally convert, store, make the image active and drop the staged
 * bytes. On any failure the image goes back to `queued` without data, the staged and stored
 * bytes are removed, and the task records why.
 */
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { conflict, StratusError } from "@stratus/core/errors";
import { FilesystemStore } from "../fs-store.js";
import type { Image } from "../model.js";
import { type ImageQuotas, storageQuotaCutOff, storageRoom } from "../quota.js";
import type { ImageRepository } from "../repository.js";
import type { ImageStore } from "../store.js";
import { TASK_TIME_TO_LIVE_HOURS, type TaskRepository } from "../tasks.js";
import { receiveImageData, type UploadResult } from "../upload.js";
import { startWebDownload, type WebDownloadOptions } from "../web-download.js";
import { convertStaged, type ImageConversionOptions, workPathOf } from "./convert-step.js";

/** Image properties Glance's import keeps (its lock and per-store progress). */
export const IMPORT_LOCK = "os_glance_import_task";
export const IMPORTING_STORES = "os_glance_importing_to_stores";
export const FAILED_STORES = "os_glance_failed_import";
/** The one store we have, as `/v2/info/stores` names it. */
export const STORE_ID = "file";

/** What a running import uses. */
export interface ImportEnvironment {
  readonly repository: ImageRepository;
  readonly store: ImageStore;
  readonly staging: ImageStore;
  readonly tasks: TaskRepository;
  /** The current instant as an ISO string. */
  now(): string;
  readonly conversion?: ImageConversionOptions | undefined;
  readonly webDownload?: WebDownloadOptions | undefined;
  /** Where conversions write their files. */
  readonly workDir: string;
  /** Plain raw content passes under another declared disk_format (not when converting). */
  readonly allowRawContent?: boolean;
  /** The owner's byte quota applies to what the import stores, as to an upload. */
  readonly quotas?: ImageQuotas;
}

/** One import to run. */
export interface ImportJob {
  readonly taskId: string;
  readonly imageId: string;
  readonly diskFormat: string;
  readonly method: "glance-direct" | "web-download";
  /** The web-download URI. */
  readonly uri?: string | undefined;
}

interface Stored {
  readonly upload: UploadResult;
  /** The stored format when a conversion changed it. */
  readonly convertedTo?: string;
}

/** Runs `job` to its end; never throws (the task records a failure). */
export async function runImport(env: ImportEnvironment, job: ImportJob, signal: AbortSignal): Promise<void> {
  await env.tasks.update(job.taskId, (t) => ({ ...t, status: "processing", updated_at: env.now() }));
  let committed = false;
  try {
    if (job.method === "web-download") await downloadToStaging(env, job, signal);
    signal.throwIfAborted();
    const stored = await storeStaged(env, job);
    committed = true;
    await env.repository.update(job.imageId, (current) => {
      assertLock(current, job.taskId);
      return activated(current, stored, env.now());
    });
    await env.staging.delete(job.imageId);
    const end = env.now();
    await env.tasks.update(job.taskId, (t) => ({
      ...t,
      status: "success",
      result: { image_id: job.imageId },
      updated_at: end,
      expires_at: expiry(end),
    }));
  } catch (error) {
    await fail(env, job, committed, error);
  }
}

async function downloadToStaging(env: ImportEnvironment, job: ImportJob, signal: AbortSignal): Promise<void> {
  const download = await startWebDownload(job.uri ?? "", env.webDownload, signal);
  const staged = await env.staging.begin(job.imageId);
  try {
    for await (const chunk of download.body) await staged.write(chunk);
    const size = await staged.commit();
    if (download.declaredSize !== null && size !== download.declaredSize)
      throw new StratusError(
        "bad_request",
        `Task ${job.taskId} failed because downloaded data size ${size} is different from expected ${download.declaredSize}`,
      );
  } finally {
    await staged.abort();
  }
}

/** Streams the staged bytes into the store, through the converter when one is configured. */
async function storeStaged(env: ImportEnvironment, job: ImportJob): Promise<Stored> {
  const staged = await env.staging.read(job.imageId);
  if (staged === null) throw conflict(`Image ${job.imageId} has no data in the staging area.`);
  const image = await env.repository.get(job.imageId);
  // the staged size is already on the record: the room left is the owner's usage without it
  const room = await storageRoom(env.repository, env.quotas ?? {}, image?.owner ?? null, null, image?.size ?? 0);
  const limit = room === null ? {} : { limit: { bytes: room, tooMany: storageQuotaCutOff } };
  if (env.conversion === undefined)
    return {
      upload: await receiveImageData(env.store, job.imageId, job.diskFormat, staged, {
        allowRawContent: env.allowRawContent === true,
        ...limit,
      }),
    };
  // the input passes the same inspection as an upload before the converter reads it
  const work = new FilesystemStore({ directory: env.workDir });
  await receiveImageData(work, job.imageId, job.diskFormat, staged);
  const input = join(env.workDir, job.imageId);
  let converted: string | null = null;
  try {
    converted = await convertStaged(
      input,
      job.diskFormat,
      env.conversion.outputFormat,
      workPathOf(env.workDir, job.imageId),
    );
    const format = converted === null ? job.diskFormat : env.conversion.outputFormat;
    const upload = await receiveImageData(env.store, job.imageId, format, createReadStream(converted ?? input), limit);
    return converted === null ? { upload } : { upload, convertedTo: format };
  } finally {
    await rm(input, { force: true });
    if (converted !== null) await rm(converted, { force: true });
  }
}

function assertLock(image: Image, taskId: string): void {
  if (image.properties[IMPORT_LOCK] !== taskId)
    throw conflict(`Image ${image.id} import task ${taskId} lost its lock; aborting.`);
}

const withoutLock = (properties: Readonly<Record<string, string>>): Record<string, string> => {
  const { [IMPORT_LOCK]: _lock, ...rest } = properties;
  return rest;
};

function activated(image: Image, stored: Stored, now: string): Image {
  const { upload, convertedTo } = stored;
  return {
    ...image,
    status: "active",
    size: upload.size,
    virtual_size: upload.virtualSize,
    checksum: upload.checksum,
    os_hash_algo: upload.osHashAlgo,
    os_hash_value: upload.osHashValue,
    // Glance's conversion plugin sets both formats
    ...(convertedTo === undefined ? {} : { disk_format: convertedTo, container_format: "bare" }),
    properties: { ...withoutLock(image.properties), [IMPORTING_STORES]: "" },
    updated_at: now,
  };
}

async function fail(env: ImportEnvironment, job: ImportJob, committed: boolean, error: unknown): Promise<void> {
  const ignore = () => undefined;
  await env.staging.delete(job.imageId).catch(ignore);
  if (committed) await env.store.delete(job.imageId).catch(ignore);
  const now = env.now();
  let deleted = false;
  await env.repository
    .update(job.imageId, (current) =>
      current.properties[IMPORT_LOCK] !== job.taskId
        ? current
        : {
            ...current,
            status: "queued",
            size: null,
            virtual_size: null,
            checksum: null,
            os_hash_algo: null,
            os_hash_value: null,
            properties: {
              ...withoutLock(current.properties),
              [IMPORTING_STORES]: "",
              [FAILED_STORES]: env.store.id ?? STORE_ID,
            },
            updated_at: now,
          },
    )
    .catch((e: unknown) => {
      deleted = StratusError.is(e) && e.code === "not_found";
    });
  const message = deleted ? "Image has been deleted, aborting import." : failureMessage(error);
  await env.tasks
    .update(job.taskId, (t) => ({ ...t, status: "failure", message, updated_at: now, expires_at: expiry(now) }))
    .catch(ignore);
}

/** The task's message: our errors say what went wrong; anything else is Glance's internal error. */
const failureMessage = (error: unknown): string =>
  StratusError.is(error) && error.code !== "internal" ? error.message : "Task failed due to Internal Error";

const expiry = (iso: string): string => new Date(Date.parse(iso) + TASK_TIME_TO_LIVE_HOURS * 3_600_000).toISOString();
