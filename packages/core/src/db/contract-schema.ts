import type { ColumnType, Insertable } from "kysely";
import { StratusError } from "../errors/index.js";
import type { Database } from "./database.js";
import type { Migration } from "./migrate.js";

/** The tables the db contract suite creates in namespace "contract". */
export interface ContractSchema {
  contract_item: {
    id: string;
    name: string;
    generation: ColumnType<number, number | undefined, number>;
    enabled: boolean;
    created_at: ColumnType<Date, Date | undefined, Date>;
    attrs: unknown;
    note: string | null;
  };
  contract_tag: { id: string; item_id: string; label: string };
}

/** The migrations of the contract suite; they use only portable column types. */
export const CONTRACT_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_item",
    up: async (db, { types }) => {
      await db.schema
        .createTable("contract_item")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("name", types.string(255), (c) => c.notNull().unique())
        .addColumn("generation", types.integer, (c) => c.notNull().defaultTo(1))
        .addColumn("enabled", types.boolean, (c) => c.notNull())
        .addColumn("created_at", types.timestamp, (c) => c.notNull().defaultTo(types.now))
        .addColumn("attrs", types.json)
        .addColumn("note", types.text)
        .execute();
    },
  },
  {
    name: "0002_tag",
    up: async (db, { types }) => {
      await db.schema
        .createTable("contract_tag")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("item_id", types.string(64), (c) => c.notNull().references("contract_item.id"))
        .addColumn("label", types.string(64), (c) => c.notNull())
        .execute();
    },
  },
];

/** A promise two tasks can meet at: each calls `arrive()` and waits until `parties` have. */
export function barrier(parties: number): { arrive(): Promise<void> } {
  let waiting = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    arrive: () => {
      waiting += 1;
      if (waiting >= parties) open();
      return opened;
    },
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The suite's database, typed with its tables. */
export type ContractDb = Database<ContractSchema>;

/** A row of contract_item as inserted. */
export type ItemInsert = Insertable<ContractSchema["contract_item"]>;
/** Returns a valid contract_item row with id `id`, overridden by `extra`. */
export const item = (id: string, extra: Partial<ItemInsert> = {}): ItemInsert => ({
  id,
  name: `name-${id}`,
  enabled: true,
  ...extra,
});

/** Resolves to the StratusError `work` rejects with; throws if it succeeds or fails otherwise. */
export const caught = async (work: Promise<unknown>): Promise<StratusError> => {
  try {
    await work;
  } catch (err) {
    if (StratusError.is(err)) return err;
    throw err;
  }
  throw new Error("expected the operation to fail");
};
