import { runNeutronStoreContract } from "./contract.js";
import { MemoryNeutronStore } from "./memory-store.js";

runNeutronStoreContract("memory", async () => new MemoryNeutronStore());
