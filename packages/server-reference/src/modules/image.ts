/**
 * Glance v2 on its port: @stratus/image's API with the image records in SQL (SQLite `images.db`
 * in the data dir, or the database `image.databaseUrl` names) and the bytes in the data dir
 * (filesystem store, import staging area). At start, what a dead process left half done is put
 * right (image-reconcile.ts). Tokens are validated by the shared identity, and the image
 * endpoints are listed in the catalog once the port is bound.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "@stratus/core";
import {
  FilesystemStore,
  RbdImageStore,
  registerImageRoutes,
  SqlImageRepository,
  SqlTaskRepository,
} from "@stratus/image/api";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import type { ServiceModule } from "../server.js";
import { SERVICES } from "../services.js";
import { registerRootDocument } from "./discovery-only.js";
import { createModuleApp, listInCatalog, openServiceDatabase, type SharedIdentity } from "./identity.js";
import { reconcileImages } from "./image-reconcile.js";

export class ImageModule implements ServiceModule {
  readonly descriptor = SERVICES.image;

  constructor(
    private readonly config: ServerConfig,
    private readonly logger: Logger,
    private readonly shared: SharedIdentity,
  ) {}

  async createApp({ publicUrl }: { readonly publicUrl: () => string }): Promise<FastifyInstance> {
    const { identity } = await this.shared.ready();
    const app = createModuleApp(this.config, this.logger, identity, "image");
    const { image, dataDir } = this.config;
    const db = await openServiceDatabase(dataDir, "images.db", image.databaseUrl);
    const repository = await SqlImageRepository.open(db);
    const tasks = await SqlTaskRepository.open(db);
    // registered first, so it runs last: the import runner's onClose lets its tasks finish first
    app.addHook("onClose", async () => repository.close());
    const store =
      image.store === "rbd"
        ? await RbdImageStore.connect({
            conf: image.rbdConf,
            pool: image.rbdPool,
            ...(image.rbdUser === undefined ? {} : { client: image.rbdUser }),
            ...(image.rbdKeyring === undefined ? {} : { keyring: image.rbdKeyring }),
          }).catch(async (error: unknown) => {
            await repository.close();
            throw error;
          })
        : new FilesystemStore({ directory: join(dataDir, "images") });
    if (store instanceof RbdImageStore) app.addHook("onClose", async () => store.close());
    const staging = new FilesystemStore({ directory: join(dataDir, "staging") });
    // conversion files are scratch space of imports that died with their process
    const work = join(dataDir, "image-convert");
    rmSync(work, { recursive: true, force: true });
    const report = await reconcileImages({
      repository,
      store,
      staging,
      now: () => new Date().toISOString(),
      tasks,
      // another API node sharing the database may be uploading right now
      resetInterrupted: image.databaseUrl === undefined,
    }).catch(async (error: unknown) => {
      await repository.close();
      throw error;
    });
    if (report.temporaryFiles + report.requeued.length + report.orphans.length > 0)
      this.logger.info({ ...report }, "image: put back what a previous process left unfinished");
    registerImageRoutes(app, {
      repository,
      store,
      staging,
      tasks,
      conversionWorkDir: work,
      requireFormatMatch: image.requireFormatMatch,
      imageMemberQuota: image.quotaMembers,
      quotas: {
        ...(image.quotaImages === undefined ? {} : { images: image.quotaImages }),
        ...(image.quotaBytes === undefined ? {} : { bytes: image.quotaBytes }),
        properties: image.quotaProperties,
        tags: image.quotaTags,
      },
      ...(image.conversionFormat === undefined ? {} : { conversion: { outputFormat: image.conversionFormat } }),
      webDownload: {
        allowedHosts: image.importAllowedHosts,
        trustedHosts: image.importTrustedHosts,
        allowedPorts: image.importAllowedPorts,
        allowedSchemes: image.importAllowedSchemes,
        allowPrivateAddresses: image.importAllowPrivateAddresses,
      },
    });
    registerRootDocument(app, "image", publicUrl);
    return app;
  }

  /** Lists (or moves) the image endpoints in the catalog once the port is known. */
  async started(url: string): Promise<void> {
    await listInCatalog(this.shared, this.logger, { type: "image", name: "glance" }, url);
  }
}
