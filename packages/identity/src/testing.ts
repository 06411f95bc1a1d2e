/**
 * @stratus/identity/testing: fakes for the tests of code that sits behind the identity ports.
 * The real Authorizer is the policy engine (`./policy`); these stand in where a test is about
 * something else and must say plainly whether everything is allowed or nothing is.
 */
import { forbidden } from "@stratus/core/errors";
import type { RequestContext } from "@stratus/core/http";
import type { Authorizer, PolicyCredentials } from "./ports.js";

/** Credentials as policy sees them, built from a request context without any policy engine. */
export function plainCredentials(context: RequestContext): PolicyCredentials {
  return {
    user_id: context.userId,
    user_domain_id: context.userDomainId ?? null,
    project_id: context.projectId,
    project_domain_id: context.projectDomainId ?? null,
    domain_id: context.domainId,
    system_scope: context.systemScope,
    roles: context.roles,
    is_admin_project: context.isAdminProject ?? false,
  };
}

/** Allows every rule; records what was asked, so a test can check the rule names used. */
export class AllowAllAuthorizer implements Authorizer {
  readonly asked: Array<{ rule: string; target: Readonly<Record<string, unknown>> | undefined }> = [];
  enforce(rule: string, _credentials: PolicyCredentials, target?: Readonly<Record<string, unknown>>): void {
    this.asked.push({ rule, target });
  }
  credentialsOf(context: RequestContext): PolicyCredentials {
    return plainCredentials(context);
  }
}

/** Denies every rule with Keystone's 403 message. */
export class DenyAllAuthorizer implements Authorizer {
  enforce(rule: string): void {
    throw forbidden(`You are not authorized to perform the requested action: ${rule}.`);
  }
  credentialsOf(context: RequestContext): PolicyCredentials {
    return plainCredentials(context);
  }
}
