/**
 * The auth service's TokenMinter on the Fernet token primitive (`../token`): Keystone's payloads,
 * key repository and revocation index.
 */

import type { TokenScope as PayloadScope, TokenProvider, ValidatedToken } from "../token/provider.js";
import { revokeAuditId } from "../token/revocation/event.js";
import type { RevocationIndex } from "../token/revocation/revocation-index.js";
import type { TokenFacts, TokenMinter, TokenScope } from "./ports.js";

function payloadScope(scope: TokenScope, appCredentialId: string | null): PayloadScope {
  if (appCredentialId !== null) {
    if (scope.kind !== "project") throw new TypeError("an application credential token is project-scoped");
    return { kind: "application_credential", projectId: scope.projectId, applicationCredentialId: appCredentialId };
  }
  switch (scope.kind) {
    case "project":
      return { kind: "project", projectId: scope.projectId };
    case "domain":
      return { kind: "domain", domainId: scope.domainId };
    case "system":
      return { kind: "system", system: "all" };
    case "unscoped":
      return { kind: "unscoped" };
  }
}

function facts(payload: ValidatedToken): TokenFacts {
  let scope: TokenScope;
  let appCredentialId: string | null = null;
  switch (payload.kind) {
    case "project":
      scope = { kind: "project", projectId: payload.projectId };
      break;
    case "application_credential":
      scope = { kind: "project", projectId: payload.projectId };
      appCredentialId = payload.applicationCredentialId;
      break;
    case "domain":
      scope = { kind: "domain", domainId: payload.domainId };
      break;
    case "system":
      scope = { kind: "system" };
      break;
    case "unscoped":
      scope = { kind: "unscoped" };
      break;
    default:
      // trusts, federation and OAuth1 are not issued by this deployment: such a token is not valid here
      throw new TypeError(`tokens of kind ${payload.kind} are not supported`);
  }
  return {
    userId: payload.userId,
    methods: payload.methods,
    scope,
    appCredentialId,
    issuedAt: payload.issuedAt,
    expiresAt: payload.expiresAt,
    auditIds: payload.auditIds,
  };
}

export class FernetTokenMinter implements TokenMinter {
  constructor(
    private readonly provider: TokenProvider,
    private readonly revocations: RevocationIndex,
  ) {}

  async mint(request: Parameters<TokenMinter["mint"]>[0]) {
    const { token, payload } = this.provider.issue({
      userId: request.userId,
      methods: request.methods,
      scope: payloadScope(request.scope, request.appCredentialId),
      expiresAt: request.expiresAt,
      ...(request.parentAuditId === undefined ? {} : { parentAuditId: request.parentAuditId }),
    });
    return { token, facts: facts(payload) };
  }

  async open(token: string, options: { readonly allowExpiredSeconds: number }): Promise<TokenFacts> {
    const payload = await this.provider.validate(token, {
      allowExpired: options.allowExpiredSeconds > 0,
      purpose: "subject",
    });
    return facts(payload);
  }

  async revoke(token: TokenFacts): Promise<void> {
    const auditId = token.auditIds[0];
    if (auditId !== undefined) await this.revocations.revoke(revokeAuditId(auditId));
  }
}
