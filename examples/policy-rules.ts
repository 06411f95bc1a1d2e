/**
 * @stratus/identity policy: oslo.policy's rule language with Keystone's default rules, and an
 * operator's override file. The same checks Keystone makes, without Keystone.
 */
import { StratusError } from "@stratus/core";
import { type PolicyCredentials, PolicyEnforcer, parseRule } from "@stratus/identity";

const rule = parseRule("role:admin or (role:reader and project_id:%(target.project.id)s)");
console.log(`parsed once: ${rule.toString()}`);

const member = (projectId: string): PolicyCredentials => ({
  user_id: "u1",
  user_domain_id: "default",
  project_id: projectId,
  project_domain_id: "default",
  domain_id: null,
  system_scope: null,
  roles: ["member", "reader"],
  is_admin_project: false,
});

const policy = new PolicyEnforcer({ onWarning: () => {} }); // Keystone 22's defaults
const outcome = (fn: () => void) => {
  try {
    fn();
    return "allowed";
  } catch (err) {
    return StratusError.is(err) ? err.code : "crash";
  }
};
const own = outcome(() => policy.enforce("identity:get_project", member("p1"), { "target.project.id": "p1" }));
const other = outcome(() => policy.enforce("identity:get_project", member("p1"), { "target.project.id": "p2" }));
const create = outcome(() => policy.enforce("identity:create_project", member("p1"), {}));
console.log(`a member reading their project: ${own}; another project: ${other}; creating one: ${create}`);

// an operator lets members create projects; a typo in a rule fails at load, never silently denies
const relaxed = new PolicyEnforcer({ overrides: "identity:create_project: role:member\n", onWarning: () => {} });
const relaxedCreate = outcome(() => relaxed.enforce("identity:create_project", member("p1"), {}));
const typo = outcome(() => new PolicyEnforcer({ overrides: "identity:create_project: rule:no_such_rule\n" }));
console.log(`with the override: ${relaxedCreate}; an override naming a missing rule: ${typo}`);

if (
  own !== "allowed" ||
  other !== "forbidden" ||
  create !== "forbidden" ||
  relaxedCreate !== "allowed" ||
  typo !== "bad_request"
) {
  process.exit(1);
}
console.log("ok");
