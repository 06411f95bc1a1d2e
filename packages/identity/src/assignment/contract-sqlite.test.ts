import { openDatabase } from "@stratus/core/db";
import { runResourceAssignmentContract } from "../../test/assignment/contract.js";

runResourceAssignmentContract("SQLite in memory", () => openDatabase({ engine: "sqlite", path: ":memory:" }));
