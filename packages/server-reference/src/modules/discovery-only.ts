/**
 * A service that has not landed yet: it answers its OpenStack version document at `/` (so
 * keystoneauth's discovery works against the port) and `/healthcheck`, and every other path with
 * a 404 in the service's own fault format. Replaced by the service's real module when it lands.
 */
import type { Logger } from "@stratus/core";
import { createServiceApp, versionDocument } from "@stratus/core/http";
import type { FastifyInstance } from "fastify";
import type { ServiceModule } from "../server.js";
import type { ServiceDescriptor, ServiceName } from "../services.js";

export class DiscoveryOnlyModule implements ServiceModule {
  constructor(
    readonly descriptor: ServiceDescriptor,
    private readonly logger: Logger,
    private readonly bodyLimit: number | undefined,
  ) {}

  async createApp({ publicUrl }: { readonly publicUrl: () => string }): Promise<FastifyInstance> {
    const service = this.descriptor.name;
    const app = createServiceApp({
      service,
      logger: this.logger.child({ service }),
      ...(this.bodyLimit === undefined ? {} : { bodyLimit: this.bodyLimit }),
    });
    registerRootDocument(app, service, publicUrl);
    return app;
  }
}

/**
 * The service's version document at `/`, rendered on first use: the URL is known only once the
 * listener is bound (port 0 picks one).
 */
export function registerRootDocument(app: FastifyInstance, service: ServiceName, publicUrl: () => string): void {
  let doc: { status: number; headers: Readonly<Record<string, string>>; body: string } | undefined;
  app.get("/", { config: { public: true, unversioned: service !== "placement" } }, (_request, reply) => {
    if (!doc) {
      const { status, headers, body } = versionDocument(service, { publicUrl: publicUrl() });
      doc = { status, headers, body: JSON.stringify(body) };
    }
    return reply.code(doc.status).headers(doc.headers).type("application/json").send(doc.body);
  });
  // Glance also answers an explicit `/versions`, with 200 (glanceclient asks it first)
  if (service === "image")
    app.get("/versions", { config: { public: true, unversioned: true } }, (_request, reply) => {
      const { headers, body } = versionDocument(service, { publicUrl: publicUrl() });
      return reply.code(200).headers(headers).type("application/json").send(JSON.stringify(body));
    });
}
