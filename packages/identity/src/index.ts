/**
 * @stratus/identity: a Keystone v3 that real clients and real Keystone accept, and its primitives
 * on their own: Fernet tokens byte-compatible with Keystone's, oslo.policy's rule language, and
 * keystonemiddleware's token check for other services.
 *
 * ```ts
 * // the whole service
 * const identity = await createIdentity({ database, keyRepository: "/var/lib/stratus/fernet-keys",
 *   credentialKeyRepository: "/var/lib/stratus/credential-keys" });
 * await bootstrap(identity, { adminPassword: "secret", publicUrl: "http://127.0.0.1:5000/v3/" });
 * const app = createServiceApp({ service: "identity", authenticator: identity.authenticator, identityUri });
 * identity.registerRoutes(app);
 *
 * // a primitive: validate Keystone's Fernet tokens with Keystone's key repository
 * const tokens = new TokenProvider({ keys: new FernetKeyRepository("/etc/keystone/fernet-keys") });
 * const payload = await tokens.validate(token);
 * ```
 */

export { createResourceAssignmentServices, migrateResourceAssignment } from "./assignment/setup.js";
// request authentication for services (keystonemiddleware's role)
export { LocalTokenAuthenticator } from "./auth/authenticator.js";
export { type RemoteAuthenticatorOptions, RemoteTokenAuthenticator } from "./auth/remote-authenticator.js";
export { AuthService, type AuthServiceOptions } from "./auth/service.js";
export {
  type BootstrapOptions,
  type BootstrapResult,
  bootstrap,
  type CatalogEntryOptions,
  ensureCatalogEntry,
} from "./bootstrap.js";
// the parts, for embedding one without the others
export { CatalogService } from "./catalog/service.js";
export { createIdentity, type Identity, type IdentityOptions } from "./identity.js";
export { createIdentityUsers } from "./identity-users/index.js";
// policy
export {
  credentialsOf,
  KEYSTONE_DEFAULT_RULES,
  PolicyEnforcer,
  type PolicyEnforcerOptions,
  parseRule,
} from "./policy/index.js";
export type { Authorizer, PolicyCredentials } from "./ports.js";
// tokens
export {
  type FernetKey,
  FernetKeyRepository,
  fernetDecrypt,
  fernetEncrypt,
  generateFernetKey,
  InMemoryRevocationStore,
  KeystoneTokenFormat,
  PAYLOAD_VERSIONS,
  packToken,
  RevocationIndex,
  type RevocationStore,
  revocationEvent,
  revokeAuditId,
  revokeDomain,
  revokeProject,
  revokeUser,
  type TokenPayload,
  TokenProvider,
  type TokenProviderOptions,
  unpackToken,
  type ValidatedToken,
} from "./token/index.js";
export { SqlRevocationStore } from "./token/revocation/sql-store.js";
