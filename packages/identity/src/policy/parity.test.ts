import { describe, expect, it } from "vitest";
import type { PolicyCredentials } from "../ports.js";
import { PolicyEnforcer } from "./enforcer.js";
import { KEYSTONE_DEFAULT_RULES } from "./generated/keystone-defaults.gen.js";
import {
  OSLO_RENDERED,
  PARITY_PERSONAS,
  PARITY_RESULTS,
  PARITY_RULES,
  PARITY_TARGETS,
} from "./generated/oslo-parity.gen.js";
import { parseRule } from "./parse.js";

// Both tables were produced by the real oslo.policy 4.0 and Keystone 22 (generate-defaults.py).
describe("parity with oslo.policy on Keystone's own rules", () => {
  it.each(Object.entries(OSLO_RENDERED))(
    "the check string %j renders exactly as oslo's str() renders its parse, and that text parses back",
    (checkStr, rendered) => {
      const tree = parseRule(checkStr);
      expect(tree.toString()).toBe(rendered);
      expect(parseRule(tree.toString()).toString()).toBe(rendered);
    },
  );

  const quiet = () => {};
  const enforcers = new Map<string, PolicyEnforcer>();
  const enforcerFor = (enforceScope: boolean, enforceNewDefaults: boolean): PolicyEnforcer => {
    const key = `${enforceScope}/${enforceNewDefaults}`;
    let enforcer = enforcers.get(key);
    if (enforcer === undefined) {
      enforcer = new PolicyEnforcer({ enforceScope, enforceNewDefaults, onWarning: quiet });
      enforcers.set(key, enforcer);
    }
    return enforcer;
  };

  it("the generated defaults and the parity table list the same rules in the same order", () => {
    expect(KEYSTONE_DEFAULT_RULES.map((r) => r.name)).toEqual(PARITY_RULES);
  });

  it.each(PARITY_RESULTS)(
    "with enforce_scope=$enforceScope and enforce_new_defaults=$enforceNewDefaults, the $persona gets oslo's verdict on every Keystone rule for target $target",
    ({ enforceScope, enforceNewDefaults, persona, target, bits }) => {
      const enforcer = enforcerFor(enforceScope, enforceNewDefaults);
      const creds = PARITY_PERSONAS[persona] as unknown as PolicyCredentials;
      const tgt = PARITY_TARGETS[target] as Record<string, unknown>;
      const ours = PARITY_RULES.map((rule) => (enforcer.allows(rule, creds, tgt) ? "1" : "0")).join("");
      const diff = PARITY_RULES.filter((_, i) => ours[i] !== bits[i]);
      expect(diff).toEqual([]);
    },
  );
});
