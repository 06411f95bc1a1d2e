/**
 * Config is typed data validated once. Library factories take option objects and validate them
 * with their zod schema through `parseConfig`, which reports every problem at once with its path.
 * Only the composition root (server-reference) reads files and environment variables.
 *
 * ```ts
 * const Options = z.object({ port: z.number().int().default(5000) });
 * const opts = parseConfig(Options, input, "identity options");
 * ```
 */
import type { z } from "zod";
import { badRequest } from "./errors/index.js";

/** One problem found in a config object: where (`listen.port`) and what. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Validates `input` against `schema` and returns the parsed value with defaults applied.
 * Throws a `bad_request` StratusError whose message lists every issue (`source: path: message`)
 * and whose `details.issues` holds them as data. Pure; safe to call repeatedly.
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)",
    message: issue.message,
  }));
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
  throw badRequest(`Invalid ${source}:\n${lines}`, { details: { issues }, cause: result.error });
}
