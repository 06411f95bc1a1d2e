/**
 * The persistence layer of every Stratus package: Kysely on SQLite, PostgreSQL or MariaDB, with
 * per-package migrations, transactions that retry lost races, generation compare-and-swap, and
 * driver errors translated into `@stratus/core/errors`.
 *
 * ```ts
 * import { openDatabase, updateWithGeneration, type Migration } from "@stratus/core/db";
 * const migrations: Migration[] = [{
 *   name: "0001_project",
 *   up: (db, { types }) => db.schema.createTable("project")
 *     .addColumn("id", types.string(64), (c) => c.primaryKey())
 *     .addColumn("generation", types.integer, (c) => c.notNull()).execute(),
 * }];
 * const db = await openDatabase<Schema>({ engine: "sqlite", path: "identity.db" });
 * await db.migrate("identity", migrations);
 * await db.transaction((trx) => updateWithGeneration(trx, { table: "project", key: { id }, expectedGeneration: 1, set: {} }));
 * ```
 */
export { type Database, openDatabase, type TransactionOptions } from "./database.js";
export { type GenerationUpdate, updateWithGeneration } from "./generation.js";
export {
  type MigrateOptions,
  type Migration,
  type MigrationContext,
  type MigrationReport,
  migrationTableName,
} from "./migrate.js";
export {
  type DatabaseOptions,
  databaseOptionsSchema,
  ENGINES,
  type Engine,
  mysqlOptionsSchema,
  postgresOptionsSchema,
  type ResolvedDatabaseOptions,
  sqliteOptionsSchema,
} from "./options.js";
export { type DbFailureKind, isRetryableConflict, translateDbError } from "./translate.js";
export { type PortableTypes, portableTypes } from "./types.js";
