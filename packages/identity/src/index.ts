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
export { type Identity, type IdentityOptions, createIdentity } from "./identity.js";
export { type BootstrapOptions, type BootstrapResult, bootstrap } from "./bootstrap.js";
export type { Authorizer, PolicyCredentials } from "./ports.js";

// tokens
export {
  fernetDecrypt,
  fernetEncrypt,
  FernetKeyRepository,
  type FernetKey,
  generateFernetKey,
  InMemoryRevocationStore,
  KeystoneTokenFormat,
  packToken,
  PAYLOAD_VERSIONS,
  RevocationIndex,
  type RevocationStore,
  revocationEvent,
  revokeAuditId,
  revokeDomain,
  revokeProject,
  revokeUser,
  TokenProvider,
  type TokenPayload,
  type TokenProviderOptions,
  unpackToken,
  type ValidatedToken,
} from "./token/index.js";
export { SqlRevocationStore } from "./token/revocation/sql-store.js";

// policy
export { credentialsOf, KEYSTONE_DEFAULT_RULES, parseRule, PolicyEnforcer, type PolicyEnforcerOptions } from "./policy/index.js";

// request authentication for services (keystonemiddleware's role)
export { LocalTokenAuthenticator } from "./auth/authenticator.js";
export { type RemoteAuthenticatorOptions, RemoteTokenAuthenticator } from "./auth/remote-authenticator.js";
export { AuthService, type AuthServiceOptions } from "./auth/service.js";

// the parts, for embedding one without the others
export { CatalogService } from "./catalog/service.js";
export { createIdentityUsers } from "./identity-users/index.js";
export { createResourceAssignmentServices, migrateResourceAssignment } from "./assignment/setup.js";
