import { openDatabase } from "@stratus/core/db";
import { REVOCATION_MIGRATIONS, REVOCATION_NAMESPACE, SqlRevocationStore } from "./sql-store.js";
import { runRevocationStoreContract } from "./store-contract.js";

runRevocationStoreContract("SQL on SQLite", async () => {
  const db = await openDatabase({ engine: "sqlite", path: ":memory:" });
  await db.migrate(REVOCATION_NAMESPACE, [...REVOCATION_MIGRATIONS]);
  return { store: new SqlRevocationStore(db), cleanup: () => db.close() };
});
