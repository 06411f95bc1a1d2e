import { openDatabase } from "@stratus/core/db";
import { runIdentityUsersContract } from "../../testing/repository-contract.js";
import type { IdentityUsersSchema } from "./schema.js";

runIdentityUsersContract("SQLite :memory:", () =>
  openDatabase<IdentityUsersSchema>({ engine: "sqlite", path: ":memory:" }),
);
