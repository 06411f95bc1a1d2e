/**
 * Keystone Fernet tokens as a primitive: issue and validate tokens that real Keystone and
 * keystonemiddleware accept, with Keystone's key repository layout and revocation events.
 *
 * ```ts
 * import { FernetKeyRepository, InMemoryRevocationStore, RevocationIndex, TokenProvider, revokeUser } from "./token/index.js";
 *
 * const keys = FernetKeyRepository.setup("/etc/keystone/fernet-keys");   // or new FernetKeyRepository(dir)
 * const revocations = new RevocationIndex({ store: new InMemoryRevocationStore() });
 * const tokens = new TokenProvider({ keys, revocations });
 * const { token } = tokens.issue({ userId, methods: ["password"], scope: { kind: "project", projectId } });
 * const payload = await tokens.validate(token);                 // throws unauthorized (reason in details)
 * await tokens.validate(subject, { purpose: "subject", allowExpired: true });  // not_found, as Keystone's 404
 * await revocations.revoke(revokeUser(userId));
 * ```
 */
export { AuthMethodTable, KEYSTONE_AUTH_METHODS } from "./auth-methods.js";
export { type TokenFailureReason, tokenFailureReason } from "./failures.js";
export {
  decrypt as fernetDecrypt,
  encrypt as fernetEncrypt,
  type FernetDecryptOptions,
  type FernetEncryptOptions,
  type FernetKey,
  type FernetMessage,
  generateFernetKey,
  parseFernetKey,
  restorePadding,
} from "./fernet.js";
export { FernetKeyRepository, type KeyRepositoryOptions, type LoadedKey } from "./key-repository.js";
export { PAYLOAD_VERSIONS, type PayloadVersion, type TokenKind, type TokenPayload } from "./payloads.js";
export {
  factsOf,
  type IssueRequest,
  type KeySource,
  newAuditId,
  TokenProvider,
  type TokenProviderOptions,
  type TokenScope,
  type ValidatedToken,
  type ValidateOptions,
} from "./provider.js";
export {
  EVENT_ATTRIBUTES,
  type RevocationEvent,
  type RevocationEventInput,
  revocationEvent,
  revokeAccessToken,
  revokeAuditChain,
  revokeAuditId,
  revokeConsumer,
  revokeDomain,
  revokeProject,
  revokeRoleAssignment,
  revokeTrust,
  revokeUser,
} from "./revocation/event.js";
export { RevocationIndex, type RevocationIndexOptions, type TokenFacts } from "./revocation/revocation-index.js";
export { InMemoryRevocationStore, type RevocationStore } from "./revocation/store.js";
export {
  KeystoneTokenFormat,
  type PackOptions,
  packToken,
  type TokenFormatOptions,
  type UnpackedToken,
  unpackToken,
} from "./token-format.js";
