/**
 * @stratus/core/testing: what other packages' tests use from core: the contract suites that every
 * implementation of a port must pass, throwaway databases on real servers, and fakes.
 * Imports vitest: use it from tests only.
 *
 * ```ts
 * import { runBusContract, runDbContract } from "@stratus/core/testing";
 * runBusContract("my transport", async () => makeMyBus());
 * ```
 */
export { type BusFactory, type ContractKit, runBusContract, sleep, waitUntil } from "./bus/contract.js";
export {
  CONTRACT_MIGRATIONS,
  type ContractSchema,
  createScratchDatabase,
  type DbContractOptions,
  MARIADB,
  POSTGRES,
  probeServer,
  runDbContract,
  type ScratchDatabase,
  type ServerSpec,
  withScratchDatabase,
} from "./db/testing.js";
export { seededRandom } from "./seeded-random.js";
