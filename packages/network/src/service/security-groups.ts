/**
 * Security groups and their rules: the per-project default group (created on first need with
 * Neutron's four default rules), CRUD, rule validation and duplicate detection.
 */
import { neutronError, policyNotAuthorized, resourceNotFound } from "../domain/faults.js";
import type { SecurityGroup, SecurityGroupRule } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import { owns } from "./policy.js";
import { type NormalizedRule, normalizeRule, type RuleInput, sameRule } from "./sg-rules.js";

export interface SecurityGroupCreate {
  name?: string | undefined;
  description?: string | undefined;
  stateful?: boolean | undefined;
  project_id?: string | undefined;
  tenant_id?: string | undefined;
}
export type SecurityGroupUpdate = Pick<SecurityGroupCreate, "name" | "description" | "stateful">;
export interface RuleCreate extends RuleInput {
  security_group_id: string;
  description?: string | undefined;
  project_id?: string | undefined;
  tenant_id?: string | undefined;
}

const EGRESS_ANY = (ethertype: "IPv4" | "IPv6"): NormalizedRule => ({
  direction: "egress",
  ethertype,
  protocol: null,
  port_range_min: null,
  port_range_max: null,
  remote_ip_prefix: null,
  normalized_cidr: null,
  remote_group_id: null,
});

export class SecurityGroupService {
  constructor(private readonly ctx: NeutronContext) {}

  private visible = (caller: Caller, sg: SecurityGroup) => owns(caller, sg) || sg.shared;

  private async withRules(sg: SecurityGroup): Promise<SecurityGroup> {
    return {
      ...sg,
      security_group_rules: await this.ctx.store.list("security_group_rule", { security_group_id: sg.id }),
    };
  }

  /** The project's default group, created (with its default rules) when it does not exist yet. */
  async ensureDefault(project: string): Promise<SecurityGroup> {
    return this.ctx.locks.run(`default-sg:${project}`, async () => {
      const found = (await this.ctx.store.list("security_group", { project_id: project, name: "default" }))[0];
      if (found !== undefined) return this.withRules(found);
      const sg = this.newGroup(project, { name: "default", description: "Default security group" });
      const rules = [EGRESS_ANY("IPv4"), EGRESS_ANY("IPv6"), "IPv4" as const, "IPv6" as const].map((r) =>
        this.newRule(
          sg,
          typeof r === "string" ? { ...EGRESS_ANY(r), direction: "ingress", remote_group_id: sg.id } : r,
          true,
        ),
      );
      return this.insertGroup(sg, rules);
    });
  }

  private newGroup(project: string, body: SecurityGroupCreate): SecurityGroup {
    return {
      ...this.ctx.standardAttrs(body.description),
      project_id: project,
      tenant_id: project,
      name: body.name ?? "",
      stateful: body.stateful ?? true,
      shared: false,
      security_group_rules: [],
    };
  }

  private newRule(sg: SecurityGroup, r: NormalizedRule, inDefault: boolean, description?: string): SecurityGroupRule {
    return {
      ...this.ctx.standardAttrs(description),
      project_id: sg.project_id,
      tenant_id: sg.project_id,
      security_group_id: sg.id,
      remote_address_group_id: null,
      belongs_to_default_sg: inDefault,
      ...r,
    };
  }

  private async insertGroup(sg: SecurityGroup, rules: SecurityGroupRule[]): Promise<SecurityGroup> {
    const full = { ...sg, security_group_rules: rules };
    await this.ctx.validate({ kind: "security_group", op: "create", current: full });
    await this.ctx.store.insert("security_group", sg);
    for (const r of rules) await this.ctx.store.insert("security_group_rule", r);
    await this.ctx.apply({ kind: "security_group", op: "create", current: full }, async () => {
      for (const r of rules) await this.ctx.store.remove("security_group_rule", r.id);
      await this.ctx.store.remove("security_group", sg.id);
    });
    return full;
  }

  /** Groups the caller may see (its default group is created first, as Neutron does on list). */
  async list(caller: Caller): Promise<SecurityGroup[]> {
    if (caller.projectId !== null) await this.ensureDefault(caller.projectId);
    const groups = (await this.ctx.store.list("security_group")).filter((g) => this.visible(caller, g));
    return Promise.all(groups.map((g) => this.withRules(g)));
  }

  async get(caller: Caller, id: string): Promise<SecurityGroup> {
    const sg = await this.ctx.store.get("security_group", id);
    if (sg === undefined || !this.visible(caller, sg)) throw resourceNotFound("security_group", id);
    return this.withRules(sg);
  }

  /** Creates a group with Neutron's two egress rules; 409 OverQuota past the limit. */
  async create(caller: Caller, body: SecurityGroupCreate): Promise<SecurityGroup> {
    const project = this.ctx.owningProject(caller, body);
    await this.ensureDefault(project);
    if (body.name === "default")
      throw neutronError("conflict", "SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
    return this.ctx.withQuota(project, "security_group", async () => {
      const sg = this.newGroup(project, body);
      return this.insertGroup(sg, [
        this.newRule(sg, EGRESS_ANY("IPv4"), false),
        this.newRule(sg, EGRESS_ANY("IPv6"), false),
      ]);
    });
  }

  async update(caller: Caller, id: string, body: SecurityGroupUpdate): Promise<SecurityGroup> {
    const previous = await this.get(caller, id);
    if (!owns(caller, previous)) throw policyNotAuthorized("rule:update_security_group");
    if (previous.name !== "default" && body.name === "default")
      throw neutronError("conflict", "SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
    if (previous.name === "default" && body.name !== undefined && body.name !== "default")
      throw neutronError(
        "conflict",
        "SecurityGroupCannotUpdateDefault",
        "Updating default security group not allowed.",
      );
    const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    await this.ctx.validate({ kind: "security_group", op: "update", current: { ...previous, ...changes }, previous });
    const stored = await this.ctx.store.update("security_group", id, (g) => this.ctx.bumped({ ...g, ...changes }));
    const current = await this.withRules(stored);
    await this.ctx.apply({ kind: "security_group", op: "update", current, previous });
    return current;
  }

  /** Deletes a group and its rules: 409 when it is a default group (non-admins) or used by a port. */
  async delete(caller: Caller, id: string): Promise<void> {
    const sg = await this.get(caller, id);
    if (!owns(caller, sg)) throw resourceNotFound("security_group", id);
    if (sg.name === "default" && !caller.isAdmin)
      throw neutronError(
        "conflict",
        "SecurityGroupCannotRemoveDefault",
        "Removing default security group not allowed.",
      );
    if ((await this.ctx.store.list("port")).some((p) => p.security_groups.includes(id)))
      throw neutronError("conflict", "SecurityGroupInUse", `Security Group ${id} in use.`);
    await this.ctx.validate({ kind: "security_group", op: "delete", current: sg });
    for (const r of sg.security_group_rules) await this.ctx.store.remove("security_group_rule", r.id);
    await this.ctx.store.remove("security_group", id);
    await this.ctx.apply({ kind: "security_group", op: "delete", current: sg });
  }

  /** Throws 404 SecurityGroupNotFound unless every id names a group the caller may use. */
  async assertUsable(caller: Caller, ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.get(caller, id);
  }

  async listRules(caller: Caller): Promise<SecurityGroupRule[]> {
    const groups = new Set((await this.list(caller)).map((g) => g.id));
    return (await this.ctx.store.list("security_group_rule")).filter(
      (r) => owns(caller, r) || groups.has(r.security_group_id),
    );
  }

  async getRule(caller: Caller, id: string): Promise<SecurityGroupRule> {
    const rule = await this.ctx.store.get("security_group_rule", id);
    if (rule === undefined) throw resourceNotFound("security_group_rule", id);
    const sg = await this.ctx.store.get("security_group", rule.security_group_id);
    if (!owns(caller, rule) && (sg === undefined || !this.visible(caller, sg)))
      throw resourceNotFound("security_group_rule", id);
    return rule;
  }

  /** Adds a rule: 400 for invalid combinations, 404 for unknown groups, 409 SecurityGroupRuleExists. */
  async createRule(caller: Caller, body: RuleCreate): Promise<SecurityGroupRule> {
    const sg = await this.get(caller, body.security_group_id);
    if (!owns(caller, sg)) throw policyNotAuthorized("rule:create_security_group_rule");
    this.ctx.owningProject(caller, body);
    const normalized = normalizeRule(body);
    if (normalized.remote_group_id !== null) await this.get(caller, normalized.remote_group_id);
    return this.ctx.withQuota(sg.project_id, "security_group_rule", () =>
      this.ctx.locks.run(`sg:${sg.id}`, async () => {
        const existing = await this.ctx.store.list("security_group_rule", { security_group_id: sg.id });
        const dup = existing.find((r) => sameRule(r, normalized));
        if (dup !== undefined)
          throw neutronError(
            "conflict",
            "SecurityGroupRuleExists",
            `Security group rule already exists. Rule id is ${dup.id}.`,
          );
        const rule = this.newRule(sg, normalized, sg.name === "default", body.description);
        await this.ctx.validate({ kind: "security_group_rule", op: "create", current: rule });
        await this.ctx.store.insert("security_group_rule", rule);
        await this.ctx.store.update("security_group", sg.id, (g) => this.ctx.bumped(g));
        await this.ctx.apply({ kind: "security_group_rule", op: "create", current: rule }, async () => {
          await this.ctx.store.remove("security_group_rule", rule.id);
        });
        return rule;
      }),
    );
  }

  async deleteRule(caller: Caller, id: string): Promise<void> {
    const rule = await this.getRule(caller, id);
    if (!owns(caller, rule)) throw resourceNotFound("security_group_rule", id);
    await this.ctx.validate({ kind: "security_group_rule", op: "delete", current: rule });
    await this.ctx.store.remove("security_group_rule", id);
    await this.ctx.store
      .update("security_group", rule.security_group_id, (g) => this.ctx.bumped(g))
      .catch(() => undefined);
    await this.ctx.apply({ kind: "security_group_rule", op: "delete", current: rule });
  }
}
