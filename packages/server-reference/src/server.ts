/**
 * The all-in-one server: one Fastify listener per enabled service, each built by its service
 * module, started together and stopped together.
 */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "./config.js";
import type { ServiceDescriptor, ServiceName } from "./services.js";

/** What the server needs from each service: its descriptor and a way to build its app. */
export interface ServiceModule {
  /** Name, port and catalog type of the service. */
  readonly descriptor: ServiceDescriptor;
  /**
   * Builds the service's Fastify app with its routes registered, not yet listening.
   * `publicUrl()` is the service's root URL as clients reach it (for version documents and
   * links); it is known once the listener is bound (port 0 picks one), so call it per request.
   */
  createApp(options: { readonly publicUrl: () => string }): Promise<FastifyInstance>;
  /** Called once the listener is bound, with the service's URL (to list it in the catalog). */
  started?(url: string): Promise<void>;
}

export interface RunningService {
  readonly name: ServiceName;
  /** The URL the service answers on, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
}

export interface RunningServer {
  readonly services: readonly RunningService[];
  /** Stops every listener after in-flight requests finish. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts every enabled module's app on its configured port. When one listener fails (port in
 * use), the ones already started are closed and the error is rethrown, so nothing is left behind.
 */
export async function startServer(config: ServerConfig, modules: readonly ServiceModule[]): Promise<RunningServer> {
  const host = config.publicHost ?? config.bindHost;
  const enabled = modules.filter((m) => config.services[m.descriptor.name].enabled);
  const apps: Array<{ name: ServiceName; app: FastifyInstance }> = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all(apps.map(({ app }) => app.close())).then(() => undefined);
    return closing;
  };

  try {
    const started = await Promise.all(
      enabled.map(async (module) => {
        const { name } = module.descriptor;
        const port = config.services[name].port;
        let url = `http://${formatHost(host)}:${port}`;
        const app = await module.createApp({ publicUrl: () => url });
        apps.push({ name, app });
        await app.listen({ host: config.bindHost, port });
        url = `http://${formatHost(host)}:${(app.server.address() as AddressInfo).port}`;
        await module.started?.(url);
        return { name, url };
      }),
    );
    return { services: started, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

function formatHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
