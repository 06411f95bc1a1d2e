/**
 * Keystone v3 on the identity port: @stratus/identity on the embedded SQLite database (or the one
 * configured), bootstrapped on every start. On the first start it makes an admin password when none
 * is configured, and writes it with a ready `clouds.yaml` into the data directory.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "@stratus/core";
import { type Database, openDatabase } from "@stratus/core/db";
import { createServiceApp, type MicroversionConfig, type ServiceApp, type ServiceName } from "@stratus/core/http";
import { type BootstrapResult, bootstrap, createIdentity, ensureCatalogEntry, type Identity } from "@stratus/identity";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import type { ServiceModule } from "../server.js";
import { SERVICES } from "../services.js";
import { registerRootDocument } from "./discovery-only.js";

/** Opens the embedded SQLite file `file` in the data dir, or the configured PostgreSQL/MariaDB URL. */
export function openServiceDatabase(
  dataDir: string,
  file: string,
  url: string | undefined,
): Promise<Database<unknown>> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return openDatabase(
    url === undefined
      ? { engine: "sqlite", path: join(dataDir, file) }
      : url.startsWith("postgres")
        ? { engine: "postgres", url }
        : { engine: "mysql", url },
  );
}

/** The identity service on the configured database and the key repositories in the data dir. */
export async function openIdentity(config: ServerConfig): Promise<{ identity: Identity; database: Database<unknown> }> {
  const { dataDir, identity: options } = config;
  const database = await openServiceDatabase(dataDir, "identity.db", options.databaseUrl);
  const identity = await createIdentity({
    database,
    keyRepository: join(dataDir, "fernet-keys"),
    credentialKeyRepository: join(dataDir, "credential-keys"),
    tokenExpirationSeconds: options.tokenExpirationSeconds,
    users: { passwordHashRounds: options.passwordHashRounds },
  });
  return { identity, database };
}

/**
 * A service's http app as every module builds it: its logger, tokens checked by the shared
 * identity, the configured body limit, and the service's microversions when it has them.
 */
export function createModuleApp(
  config: ServerConfig,
  logger: Logger,
  identity: Identity,
  service: ServiceName,
  microversions?: MicroversionConfig,
): ServiceApp {
  return createServiceApp({
    service,
    logger: logger.child({ service }),
    authenticator: identity.authenticator,
    identityUri: identityBaseUrl(config),
    ...(microversions === undefined ? {} : { microversions }),
    ...(config.maxBodyBytes === undefined ? {} : { bodyLimit: config.maxBodyBytes }),
  });
}

/** Keystone's root URL as clients reach it (public host, identity port), for WWW-Authenticate. */
export function identityBaseUrl(config: ServerConfig): string {
  return `http://${config.publicHost ?? config.bindHost}:${config.services.identity.port}`;
}

/** The identity endpoint URL as clients reach it (public host, identity port, /v3/). */
export function identityPublicUrl(config: ServerConfig): string {
  return `${identityBaseUrl(config)}/v3/`;
}

/** The identity service opened and bootstrapped, with the admin password the bootstrap used. */
export interface ReadyIdentity {
  readonly identity: Identity;
  readonly database: Database<unknown>;
  readonly bootstrap: BootstrapResult;
  readonly adminPassword: string;
}

/**
 * One identity per process, shared by the modules: the identity module serves it, the other
 * services validate tokens with it in process (no HTTP round trip) and list their endpoints in
 * its catalog. Opened and bootstrapped once, on first use.
 */
export class SharedIdentity {
  #ready: Promise<ReadyIdentity> | undefined;

  constructor(
    private readonly config: ServerConfig,
    private readonly logger: Logger,
  ) {}

  /** Opens and bootstraps (before any port opens, so no client sees a half-made cloud). */
  ready(): Promise<ReadyIdentity> {
    this.#ready ??= this.#open();
    return this.#ready;
  }

  async #open(): Promise<ReadyIdentity> {
    const { identity, database } = await openIdentity(this.config);
    const adminPassword = this.config.identity.adminPassword ?? randomBytes(18).toString("base64url");
    // serve bootstraps on every start: an existing admin keeps the password it has
    const result = await bootstrap(identity, {
      adminPassword,
      publicUrl: identityPublicUrl(this.config),
      resetPassword: false,
    });
    if (result.created.length > 0) this.logger.info({ created: result.created }, "identity bootstrapped");
    return { identity, database, bootstrap: result, adminPassword };
  }
}

/**
 * Lists (or moves) a service's three endpoints in the shared identity's catalog at `url`: what
 * each service module does once its port is bound.
 */
export async function listInCatalog(
  shared: SharedIdentity,
  logger: Logger,
  service: { readonly type: string; readonly name: string },
  url: string,
): Promise<void> {
  const { identity } = await shared.ready();
  const { created } = await ensureCatalogEntry(identity, {
    type: service.type,
    name: service.name,
    urls: { public: url, internal: url, admin: url },
  });
  if (created.length > 0) logger.info({ created }, `${service.name} listed in the catalog`);
}

export class IdentityModule implements ServiceModule {
  readonly descriptor = SERVICES.identity;

  constructor(
    private readonly config: ServerConfig,
    private readonly logger: Logger,
    private readonly shared: SharedIdentity,
  ) {}

  async createApp({ publicUrl }: { readonly publicUrl: () => string }): Promise<FastifyInstance> {
    const { dataDir, identity: options } = this.config;
    const { identity, database, bootstrap: result, adminPassword } = await this.shared.ready();
    const app = createModuleApp(this.config, this.logger, identity, "identity");
    identity.registerRoutes(app);
    registerRootDocument(app, "identity", publicUrl);
    app.addHook("onClose", async () => database.close());

    // only an admin made just now has this password: never write one it does not have
    if (result.adminCreated) {
      const url = identityPublicUrl(this.config);
      const cloudsFile = join(dataDir, "clouds.yaml");
      writeFileSync(cloudsFile, cloudsYaml(url, adminPassword), { mode: 0o600 });
      const shown = options.adminPassword === undefined ? adminPassword : "(the configured password)";
      process.stdout.write(
        `identity: admin / ${shown}; clouds.yaml written to ${cloudsFile} (export OS_CLIENT_CONFIG_FILE=${cloudsFile} OS_CLOUD=stratus)\n`,
      );
    }
    return app;
  }
}

function cloudsYaml(authUrl: string, password: string): string {
  return `clouds:
  stratus:
    auth:
      auth_url: ${authUrl}
      username: admin
      password: ${password}
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    identity_api_version: 3
    interface: public
`;
}
