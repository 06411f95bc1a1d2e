import { describe, expect, it } from "vitest";
import { conflict } from "../errors/index.js";
import { barrier, type ContractDb, caught, item, sleep } from "./contract-schema.js";
import { updateWithGeneration } from "./generation.js";

/**
 * The writing half of the db contract (error translation, transactions, generations), declared
 * inside `runDbContract`; `ref.db` is the suite's open, migrated database once tests run.
 */
export function describeWriteContract(
  ref: { readonly db: ContractDb },
  concurrentWriters: boolean,
  nextId: () => string,
): void {
  describe("errors", () => {
    it.each([
      [
        "a duplicate primary key is a conflict",
        "unique",
        "conflict",
        (id: string) =>
          ref.db.kysely
            .insertInto("contract_item")
            .values(item(id, { name: `other-${id}` }))
            .execute(),
      ],
      [
        "a duplicate unique name is a conflict",
        "unique",
        "conflict",
        (id: string) =>
          ref.db.kysely
            .insertInto("contract_item")
            .values(item(`${id}x`, { name: `name-${id}` }))
            .execute(),
      ],
      [
        "a reference to a missing record is a conflict",
        "foreign_key",
        "conflict",
        (id: string) =>
          ref.db.kysely
            .insertInto("contract_tag")
            .values({ id: `${id}t`, item_id: `${id}-missing`, label: "x" })
            .execute(),
      ],
      [
        "deleting a record still referred to is a conflict",
        "foreign_key",
        "conflict",
        async (id: string) => {
          await ref.db.kysely
            .insertInto("contract_tag")
            .values({ id: `${id}t`, item_id: id, label: "x" })
            .execute();
          await ref.db.kysely.deleteFrom("contract_item").where("id", "=", id).execute();
        },
      ],
      [
        "a missing required value is a bad request",
        "not_null",
        "bad_request",
        (id: string) =>
          ref.db.kysely
            .updateTable("contract_item")
            .set({ name: null as unknown as string })
            .where("id", "=", id)
            .execute(),
      ],
    ])("%s", async (_name, kind, code, provoke) => {
      const id = nextId();
      await ref.db.kysely.insertInto("contract_item").values(item(id)).execute();
      const err = await caught(provoke(id));
      expect(err).toMatchObject({ code, retryable: false, details: { engine: ref.db.engine, kind } });
      expect(err.cause).toBeInstanceOf(Error);
    });
  });

  describe("transactions", () => {
    it("commits what the function wrote and returns its result", async () => {
      const id = nextId();
      const result = await ref.db.transaction(async (trx) => {
        await trx.insertInto("contract_item").values(item(id)).execute();
        return "done";
      });
      expect(result).toBe("done");
      expect(
        await ref.db.kysely.selectFrom("contract_item").select("id").where("id", "=", id).executeTakeFirst(),
      ).toEqual({ id });
    });

    it("rolls back everything when the function throws, and rethrows the same error", async () => {
      const id = nextId();
      const boom = new Error("changed my mind");
      await expect(
        ref.db.transaction(async (trx) => {
          await trx.insertInto("contract_item").values(item(id)).execute();
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(
        await ref.db.kysely.selectFrom("contract_item").select("id").where("id", "=", id).executeTakeFirst(),
      ).toBeUndefined();
    });

    it.each([
      ["retries a retryable conflict until an attempt succeeds", 1, 3, true, 2],
      ["gives up after the bounded number of attempts", 5, 2, false, 2],
      ["does not retry without maxAttempts", 1, undefined, false, 1],
    ])("%s", async (_name, failures, maxAttempts, succeeds, expectedCalls) => {
      let calls = 0;
      const work = ref.db.transaction(
        async () => {
          calls += 1;
          if (calls <= failures) throw conflict("A concurrent update got in the way.", { retryable: true });
          return calls;
        },
        maxAttempts === undefined ? {} : { maxAttempts },
      );
      if (succeeds) await expect(work).resolves.toBe(expectedCalls);
      else await expect(work).rejects.toMatchObject({ code: "conflict", retryable: true });
      expect(calls).toBe(expectedCalls);
    });

    // a single writer (SQLite) queues instead of deadlocking: the case does not exist there
    if (concurrentWriters) {
      it("resolves a real deadlock: one writer fails with a retryable conflict, and with retries both commit", async () => {
        const [a, b] = [nextId(), nextId()];
        await ref.db.kysely
          .insertInto("contract_item")
          .values([item(a), item(b)])
          .execute();
        const crossWrites = async (maxAttempts: number) => {
          const meet = barrier(2);
          const writer = (first: string, second: string) =>
            ref.db.transaction(
              async (trx) => {
                await trx.updateTable("contract_item").set({ note: first }).where("id", "=", first).execute();
                await Promise.race([meet.arrive(), sleep(3_000)]);
                await trx.updateTable("contract_item").set({ note: first }).where("id", "=", second).execute();
              },
              { maxAttempts },
            );
          return Promise.allSettled([writer(a, b), writer(b, a)]);
        };
        const once = await crossWrites(1);
        const failures = once.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
        expect(failures).toHaveLength(1);
        expect(failures[0]).toMatchObject({ code: "conflict", retryable: true });
        expect((await crossWrites(5)).map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
      });
    }
  });

  describe("generations", () => {
    it.each([
      ["updates and increments the generation when it still matches", 1, "ok"],
      ["refuses with a conflict naming both generations when it changed", 7, "conflict"],
    ])("%s", async (_name, expectedGeneration, outcome) => {
      const id = nextId();
      await ref.db.kysely.insertInto("contract_item").values(item(id)).execute();
      const work = updateWithGeneration(ref.db.kysely, {
        table: "contract_item",
        key: { id },
        expectedGeneration,
        set: { note: "cas" },
      });
      if (outcome === "ok") await expect(work).resolves.toBe(2);
      else
        await expect(work).rejects.toMatchObject({
          code: "conflict",
          details: { expectedGeneration: 7, currentGeneration: 1 },
        });
    });

    it("reports a record that does not exist as not found", async () => {
      const work = updateWithGeneration(ref.db.kysely, {
        table: "contract_item",
        key: { id: "nope" },
        expectedGeneration: 1,
        set: {},
      });
      await expect(work).rejects.toMatchObject({ code: "not_found" });
    });

    it("lets exactly one of two concurrent writers of the same generation win", async () => {
      const id = nextId();
      await ref.db.kysely.insertInto("contract_item").values(item(id)).execute();
      const meet = barrier(2);
      const writer = async (note: string) => {
        const { generation } = await ref.db.kysely
          .selectFrom("contract_item")
          .select("generation")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        await meet.arrive(); // both have read generation 1 before either writes
        return ref.db.transaction(async (trx) => {
          const next = await updateWithGeneration(trx, {
            table: "contract_item",
            key: { id },
            expectedGeneration: generation,
            set: { note },
          });
          await sleep(50); // hold the row lock so the other writer really waits on it
          return next;
        });
      };
      const results = await Promise.allSettled([writer("first"), writer("second")]);
      const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i === 0 ? "first" : "second"] : []));
      const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ code: "conflict" });
      const row = await ref.db.kysely
        .selectFrom("contract_item")
        .select(["generation", "note"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ generation: 2, note: won[0] });
    });
  });
}
