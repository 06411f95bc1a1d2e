/**
 * The one contract every Bus transport passes. Run it with a factory whose buses all share one
 * broker (an InProcessBroker, or one RabbitMQ prefix):
 *
 * ```ts
 * const broker = new InProcessBroker();
 * runBusContract("in-process", () => createInProcessBus({ broker }));
 * ```
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe } from "vitest";
import { eventContract } from "./contract-events.js";
import type { BusFactory, ContractKit } from "./contract-kit.js";
import { rpcContract } from "./contract-rpc.js";
import type { Bus } from "./types.js";

export type { BusFactory, ContractKit } from "./contract-kit.js";
export { sleep, waitUntil } from "./contract-kit.js";

/** Registers the bus contract as a vitest `describe` block named `name`. */
export function runBusContract(name: string, makeBus: BusFactory): void {
  describe(`bus contract: ${name}`, () => {
    const open: Bus[] = [];
    const kit: ContractKit = {
      bus: async () => {
        const bus = await makeBus();
        open.push(bus);
        return bus;
      },
      topic: () => `contract-${randomUUID().slice(0, 8)}`,
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((bus) => bus.close()));
    });
    rpcContract(kit);
    eventContract(kit);
  });
}
