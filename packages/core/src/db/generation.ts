import { type Kysely, type Selectable, sql, type Transaction, type Updateable } from "kysely";
import { conflict, internal, notFound } from "../errors/index.js";

/** A compare-and-swap update of one row guarded by its generation column. */
export interface GenerationUpdate<DB, TB extends keyof DB & string> {
  /** The table holding the row. */
  readonly table: TB;
  /** Column equalities that identify at most one row, usually the primary key: `{ id }`. */
  readonly key: Readonly<Partial<Selectable<DB[TB]>>>;
  /** The generation the caller read; the update happens only if the row still has it. */
  readonly expectedGeneration: number;
  /** The new column values (the generation column is set by the helper). */
  readonly set: Updateable<DB[TB]>;
  /** The integer generation column (default "generation"). */
  readonly column?: string;
}

/**
 * Updates the row only if its generation still equals `expectedGeneration`, and increments it in
 * the same statement. Returns the new generation. Throws `conflict` (details: table, key,
 * expectedGeneration, currentGeneration) when someone else changed the row first, `notFound` when
 * no row has `key`, and `internal` when `key` matched several rows. Use inside a transaction to
 * combine it with other writes; not retryable by itself: re-read the row, then try again.
 */
export async function updateWithGeneration<DB, TB extends keyof DB & string>(
  db: Kysely<DB> | Transaction<DB>,
  update: GenerationUpdate<NoInfer<DB>, TB>,
): Promise<number> {
  const column = update.column ?? "generation";
  const { table, key, expectedGeneration } = update;
  const next = expectedGeneration + 1;
  // biome-ignore lint/suspicious/noExplicitAny: the table and columns are checked by the signature.
  const anyDb = db as unknown as Kysely<any>;
  let query = anyDb
    .updateTable(table as string)
    .set({ ...(update.set as Record<string, unknown>), [column]: next })
    .where(column, "=", expectedGeneration);
  for (const [name, value] of Object.entries(key)) query = query.where(name, "=", value);
  const result = await query.executeTakeFirst();
  const updated = Number(result.numUpdatedRows);
  if (updated === 1) return next;
  const details = { table, key: key as Record<string, unknown>, expectedGeneration };
  if (updated > 1) throw internal(`The key of ${table} matched ${updated} rows in a generation update.`, { details });
  let current = anyDb.selectFrom(table as string).select(sql.ref(column).as("generation"));
  for (const [name, value] of Object.entries(key)) current = current.where(name, "=", value);
  const row = await current.executeTakeFirst();
  if (row === undefined) throw notFound(`The ${table} record could not be found.`, { details });
  throw conflict(`The ${table} record was changed by someone else; reload it and try again.`, {
    details: { ...details, currentGeneration: Number(row.generation) },
  });
}
