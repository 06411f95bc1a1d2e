/**
 * Test helpers of the db module, for the integration tests of every package:
 * the shared contract suite and throwaway databases on real servers.
 */

export { type DbContractOptions, runDbContract } from "./contract.js";
export { CONTRACT_MIGRATIONS, type ContractSchema } from "./contract-schema.js";
export { createScratchDatabase, probeServer, type ScratchDatabase } from "./scratch.js";
export { MARIADB, POSTGRES, type ServerSpec, withScratchDatabase } from "./test-servers.js";
