import { InMemoryRevocationStore } from "./store.js";
import { runRevocationStoreContract } from "./store-contract.js";

runRevocationStoreContract("in memory", async () => ({ store: new InMemoryRevocationStore() }));
