/**
 * Token checks for requests to identity itself: core http's `Authenticator` port answered by the
 * local AuthService (so it shares the validation cache). keystonemiddleware's role for services
 * that run in this process.
 */
import type { AuthenticationRequest, Authenticator, RequestContext } from "@stratus/core/http";
import type { AuthService, ValidatedToken } from "./service.js";
import { contextOfTokenBody, type TokenBodyFacts } from "./token-context.js";

export class LocalTokenAuthenticator implements Authenticator {
  readonly #contexts = new WeakMap<ValidatedToken, ReturnType<typeof contextOfTokenBody>>();

  constructor(
    private readonly auth: AuthService,
    private readonly adminRoles: readonly string[] = ["admin"],
  ) {}

  /** The caller's context, or null when the X-Auth-Token is missing or not valid (the kit answers 401). */
  async authenticate(request: AuthenticationRequest): Promise<RequestContext | null> {
    const raw = request.headers["x-auth-token"];
    const token = Array.isArray(raw) ? raw[0] : raw;
    if (!token) return null;
    const validated = await this.auth.validate(token, { includeCatalog: false }).catch(() => null);
    if (!validated) return null;
    // the token's part of the context is computed once per cached validation; the literal below
    // (no spread) is what every request pays
    let base = this.#contexts.get(validated);
    if (!base) {
      base = contextOfTokenBody(validated.body.token as unknown as TokenBodyFacts, this.adminRoles);
      this.#contexts.set(validated, base);
    }
    return {
      userId: base.userId,
      userDomainId: base.userDomainId ?? null,
      projectId: base.projectId,
      projectDomainId: base.projectDomainId ?? null,
      domainId: base.domainId,
      roles: base.roles,
      systemScope: base.systemScope,
      isAdmin: base.isAdmin,
      isAdminProject: base.isAdminProject ?? true,
      token: base.token,
      requestId: request.requestId,
      globalRequestId: request.globalRequestId,
      authToken: token,
    };
  }
}
