/**
 * Token checks for requests to identity itself: core http's `Authenticator` port answered by the
 * local AuthService (so it shares the validation cache). keystonemiddleware's role for services
 * that run in this process.
 */
import type { AuthenticationRequest, Authenticator, RequestContext } from "@stratus/core/http";
import type { AuthService } from "./service.js";

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
    const t = validated.body.token as Record<string, unknown> & {
      user: { id: string; domain: { id: string } };
      project?: { id: string; domain: { id: string } };
      domain?: { id: string };
      system?: { all: boolean };
      roles?: ReadonlyArray<{ name: string }>;
      is_admin_project?: boolean;
    };
    const roles = (t.roles ?? []).map((r) => r.name.toLowerCase());
    return {
      userId: t.user.id,
      userDomainId: t.user.domain.id,
      projectId: t.project?.id ?? null,
      projectDomainId: t.project?.domain.id ?? null,
      domainId: t.domain?.id ?? t.project?.domain.id ?? null,
      roles,
      systemScope: t.system?.all ? "all" : null,
      isAdmin: roles.some((r) => this.adminRoles.includes(r)),
      isAdminProject: t.is_admin_project ?? true,
      requestId: request.requestId,
      globalRequestId: request.globalRequestId,
      authToken: token,
      token: {
        auditIds: validated.facts.auditIds,
        expiresAt: t["expires_at"] as string,
        methods: validated.facts.methods,
      },
    };
  }
}
