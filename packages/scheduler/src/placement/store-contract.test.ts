import { openDatabase } from "@stratus/core/db";
import { SqlPlacementStore } from "./sql-store.js";
import { PlacementState } from "./state.js";
import { MemoryPlacementStore } from "./store.js";
import { runPlacementStoreContract } from "./store-contract.js";

runPlacementStoreContract("memory", async () => new MemoryPlacementStore(new PlacementState()));
runPlacementStoreContract("SQL on in-memory SQLite", async () =>
  SqlPlacementStore.open(await openDatabase({ engine: "sqlite", path: ":memory:" })),
);
