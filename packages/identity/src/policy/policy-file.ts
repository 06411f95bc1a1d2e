/**
 * Operator policy files (oslo.policy's `policy.yaml`, or the older `policy.json`): a mapping of
 * rule name to a rule string or a list-of-lists rule. Validated with zod; every problem is reported
 * at once, each naming its rule.
 */
import { readFile } from "node:fs/promises";
import { parseConfig } from "@stratus/core";
import { badRequest } from "@stratus/core/errors";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** The rules of a policy file, by name. */
export type PolicyFileRules = Readonly<Record<string, string | readonly (string | readonly string[])[]>>;

/** A rule as a policy file may write it. */
export const PolicyFileRuleSchema = z.union([z.string(), z.array(z.union([z.string(), z.array(z.string())]))], {
  error: "a rule must be a string, or a list of lists of check strings",
});

/** A whole policy file. */
export const PolicyFileSchema = z.record(z.string().min(1), PolicyFileRuleSchema);

/**
 * Validates already-parsed policy data (`null`, an empty file, means no overrides).
 * Throws `bad_request` listing each bad rule by name.
 */
export function policyFileRules(data: unknown, source = "policy file"): PolicyFileRules {
  if (data === null || data === undefined) return {};
  return parseConfig(PolicyFileSchema, data, source);
}

/**
 * Parses a policy file's text, YAML or JSON (JSON is YAML). Throws `bad_request` naming the line
 * for a syntax error (duplicate keys included) and each bad rule by name.
 */
export function parsePolicyFile(text: string, source = "policy file"): PolicyFileRules {
  let data: unknown;
  try {
    data = parseYaml(text, { uniqueKeys: true });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw badRequest(`Invalid ${source}: ${reason}`, { cause, details: { source } });
  }
  return policyFileRules(data, source);
}

/** Reads and parses a policy file. Throws `bad_request` when it is missing, unreadable or invalid. */
export async function loadPolicyFile(path: string): Promise<PolicyFileRules> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw badRequest(`Cannot read policy file ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      cause,
      details: { path },
    });
  }
  return parsePolicyFile(text, `policy file ${path}`);
}
