/**
 * Policy figures: enforcer load time (parse and compile Keystone's 202 default rules) and
 * `enforce` operations per second for typical rules, allowed and denied.
 * Run: npx tsx --conditions @stratus/source packages/identity/bench/policy.ts
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import type { RequestContext } from "@stratus/core/http";
import { credentialsOf, PolicyEnforcer } from "../src/policy/index.js";

/** One measured figure. */
export interface PolicyFigure {
  /** What was measured. */
  readonly name: string;
  /** The value, in `unit`. */
  readonly value: number;
  /** ops/s or ms. */
  readonly unit: string;
}

const context = (facts: Partial<RequestContext>): RequestContext => ({
  userId: "u1",
  projectId: null,
  domainId: null,
  roles: [],
  systemScope: null,
  isAdmin: false,
  requestId: "req-1",
  globalRequestId: null,
  authToken: "t",
  ...facts,
});

function opsPerSecond(fn: () => boolean, durationMs = 1_000): number {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += fn() ? 1 : 0; // warm-up, so the JIT has settled
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let ops = 0;
    const start = performance.now();
    let now = start;
    while (now - start < durationMs) {
      for (let i = 0; i < 10_000; i++) sink += fn() ? 1 : 0;
      ops += 10_000;
      now = performance.now();
    }
    best = Math.max(best, (ops / (now - start)) * 1000);
  }
  if (sink < 0) console.log(sink);
  return Math.round(best);
}

/** Measures the figures above. */
export function benchPolicy(): PolicyFigure[] {
  const quiet = () => {};
  let start = performance.now();
  for (let i = 0; i < 20; i++) new PolicyEnforcer({ onWarning: quiet });
  const loadMs = (performance.now() - start) / 20;
  const enforcer = new PolicyEnforcer({ onWarning: quiet });
  const member = credentialsOf(context({ projectId: "pA", projectDomainId: "d1", roles: ["member", "reader"] }));
  const sysAdmin = credentialsOf(context({ systemScope: "all", roles: ["admin", "member", "reader"] }));
  const projectA = { "target.project.id": "pA", "target.project.domain_id": "d1" };
  const projectB = { "target.project.id": "pB", "target.project.domain_id": "d2" };
  const allow = (rule: string, creds: typeof member, target: Record<string, unknown>) => () => {
    enforcer.enforce(rule, creds, target);
    return true;
  };
  const deny = (rule: string, creds: typeof member, target: Record<string, unknown>) => () => {
    try {
      enforcer.enforce(rule, creds, target);
      return true;
    } catch {
      return false;
    }
  };
  start = performance.now();
  return [
    { name: "load Keystone's 202 default rules (parse + compile)", value: loadMs, unit: "ms" },
    {
      name: "enforce identity:get_project, project member on its project (allowed)",
      value: opsPerSecond(allow("identity:get_project", member, projectA)),
      unit: "ops/s",
    },
    {
      name: "allows identity:get_project, project member on another project (denied)",
      value: opsPerSecond(() => enforcer.allows("identity:get_project", member, projectB)),
      unit: "ops/s",
    },
    {
      name: "enforce identity:get_project, denied (throws forbidden)",
      value: opsPerSecond(deny("identity:get_project", member, projectB)),
      unit: "ops/s",
    },
    {
      name: "enforce identity:create_project, system admin (allowed)",
      value: opsPerSecond(allow("identity:create_project", sysAdmin, {})),
      unit: "ops/s",
    },
    {
      name: "enforce identity:list_users, system admin (allowed)",
      value: opsPerSecond(allow("identity:list_users", sysAdmin, {})),
      unit: "ops/s",
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}`);
  for (const f of benchPolicy()) {
    const value = f.unit === "ms" ? f.value.toFixed(2) : f.value.toLocaleString("en-US");
    console.log(`  ${f.name.padEnd(76)} ${value.padStart(12)} ${f.unit}`);
  }
}
