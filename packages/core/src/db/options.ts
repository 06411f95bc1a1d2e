import { z } from "zod";

/** The three engines a Stratus database can live on. */
export const ENGINES = ["sqlite", "postgres", "mysql"] as const;
export type Engine = (typeof ENGINES)[number];

const serverPool = {
  /** Most connections the pool keeps open at once. */
  poolSize: z.number().int().min(1).max(200).default(10),
  /** How long to wait for a connection (new or from the pool) before failing with `timeout`. */
  connectTimeoutMs: z.number().int().min(1).max(600_000).default(5_000),
};

const serverUrl = (protocols: readonly string[]) =>
  z
    .string()
    .min(1)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    );

/** A SQLite file (created when missing) or a private in-memory database. */
export const sqliteOptionsSchema = z.object({
  engine: z.literal("sqlite"),
  path: z.union([z.literal(":memory:"), z.string().min(1)]),
  /** How long a writer waits for another process's write lock before failing with a retryable conflict. */
  busyTimeoutMs: z.number().int().min(0).max(600_000).default(5_000),
});

/** A PostgreSQL database, e.g. `postgres://stratus@db.example:5432/identity`. */
export const postgresOptionsSchema = z.object({
  engine: z.literal("postgres"),
  url: serverUrl(["postgres:", "postgresql:"]),
  ...serverPool,
});

/** A MariaDB or MySQL database, e.g. `mysql://stratus:secret@db.example:3306/identity`. */
export const mysqlOptionsSchema = z.object({
  engine: z.literal("mysql"),
  url: serverUrl(["mysql:", "mariadb:"]),
  ...serverPool,
});

/** Options of `openDatabase`, validated once; defaults are filled in by `parse`. */
export const databaseOptionsSchema = z.discriminatedUnion("engine", [
  sqliteOptionsSchema,
  postgresOptionsSchema,
  mysqlOptionsSchema,
]);

/** What a caller passes to `openDatabase` (defaults may be left out). */
export type DatabaseOptions = z.input<typeof databaseOptionsSchema>;
/** The options after validation, with every default filled in. */
export type ResolvedDatabaseOptions = z.output<typeof databaseOptionsSchema>;
