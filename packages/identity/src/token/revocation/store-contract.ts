/**
 * The contract every RevocationStore passes (in memory here; SQL adapters later):
 * `runRevocationStoreContract("sql", async () => ({ store, cleanup }))` inside a test file.
 */
import { describe, expect, it } from "vitest";
import { type RevocationEvent, revocationEvent } from "./event.js";
import type { RevocationStore } from "./store.js";

/** A fresh, empty store and how to dispose of it. */
export interface RevocationStoreFixture {
  readonly store: RevocationStore;
  readonly cleanup?: () => Promise<void>;
}

const at = (s: string) => new Date(`2026-11-22T${s}Z`);

/** Registers the contract's tests for the store `make` creates (one fresh store per test). */
export function runRevocationStoreContract(name: string, make: () => Promise<RevocationStoreFixture>): void {
  const withStore = (fn: (store: RevocationStore) => Promise<void>) => async () => {
    const { store, cleanup } = await make();
    try {
      await fn(store);
    } finally {
      await cleanup?.();
    }
  };

  describe(`RevocationStore contract: ${name}`, () => {
    it(
      "returns an event with every attribute as it was recorded, times to the millisecond",
      withStore(async (store) => {
        const event: RevocationEvent = {
          userId: "u",
          projectId: "p",
          domainScopeId: "d",
          roleId: "r",
          trustId: "t",
          consumerId: "c",
          accessTokenId: "a",
          auditId: "AAAAAAAAAAAAAAAAAAAAAA",
          auditChainId: "BBBBBBBBBBBBBBBBBBBBBB",
          expiresAt: at("11:00:00"),
          issuedBefore: at("10:00:00.123"),
          revokedAt: at("10:00:00"),
        };
        await store.add(event);
        expect(await store.list()).toEqual([event]);
      }),
    );

    it(
      "lists events oldest first and only those revoked at or after revokedSince",
      withStore(async (store) => {
        for (const t of ["10:00:02", "10:00:00", "10:00:01"]) {
          await store.add(revocationEvent({ userId: t, revokedAt: at(t) }));
        }
        expect((await store.list()).map((e) => e.userId)).toEqual(["10:00:00", "10:00:01", "10:00:02"]);
        expect((await store.list({ revokedSince: at("10:00:01") })).map((e) => e.userId)).toEqual([
          "10:00:01",
          "10:00:02",
        ]);
      }),
    );

    it(
      "prunes events revoked strictly before the cutoff and says how many, idempotently",
      withStore(async (store) => {
        await store.add(revocationEvent({ auditId: "old", revokedAt: at("09:00:00") }));
        await store.add(revocationEvent({ auditId: "new", revokedAt: at("10:00:00") }));
        expect(await store.prune(at("10:00:00"))).toBe(1);
        expect(await store.prune(at("10:00:00"))).toBe(0);
        expect((await store.list()).map((e) => e.auditId)).toEqual(["new"]);
      }),
    );

    it(
      "accepts the same event twice without failing",
      withStore(async (store) => {
        const e = revocationEvent({ userId: "u", revokedAt: at("10:00:00") });
        await store.add(e);
        await store.add(e);
        expect((await store.list()).every((x) => x.userId === "u")).toBe(true);
      }),
    );
  });
}
