/**
 * Token checks for requests to identity itself: core http's `Authenticator` port answered by the
 * local AuthService (so it shares the validation cache). keystonemiddleware's role for services
 * that run in this process.
 */
import type { AuthenticationRequest, Authenticator, RequestContext } from "@stratus/core/http";
import type { AuthService } from "./service.js";
import { contextOfTokenBody, type TokenBodyFacts } from "./token-context.js";

export class LocalTokenAuthenticator implements Authenticator {
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
    return {
      ...contextOfTokenBody(validated.body.token as unknown as TokenBodyFacts, this.adminRoles),
      requestId: request.requestId,
      globalRequestId: request.globalRequestId,
      authToken: token,
    };
  }
}
