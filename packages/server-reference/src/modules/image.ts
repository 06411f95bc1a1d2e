/**
 * Glance v2 on its port: @stratus/image's API with the image bytes in the data dir (filesystem
 * store) and, for now, the image records in memory (a restart forgets them; the SQL repository
 * comes with the rest of the image service). Tokens are validated by the shared identity, and the
 * image endpoints are listed in the catalog once the port is bound.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "@stratus/core";
import { FilesystemStore, MemoryImageRepository, registerImageRoutes } from "@stratus/image/api";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import type { ServiceModule } from "../server.js";
import { SERVICES } from "../services.js";
import { registerRootDocument } from "./discovery-only.js";
import { createModuleApp, listInCatalog, type SharedIdentity } from "./identity.js";

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
    // the records do not outlive the process yet, so neither may the bytes (no orphans after a restart)
    const directory = join(this.config.dataDir, "images");
    rmSync(directory, { recursive: true, force: true });
    // staged bytes and conversion files belong to records that do not outlive the process either
    const staging = join(this.config.dataDir, "staging");
    const work = join(this.config.dataDir, "image-convert");
    for (const dir of [staging, work]) rmSync(dir, { recursive: true, force: true });
    const { image } = this.config;
    registerImageRoutes(app, {
      repository: new MemoryImageRepository(),
      store: new FilesystemStore({ directory }),
      staging: new FilesystemStore({ directory: staging }),
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
