/** Helpers shared by the parts of the bus contract. */
import type { Bus } from "./types.js";

/** Makes a bus on the shared broker. */
export type BusFactory = () => Bus | Promise<Bus>;

/** What each contract test gets: fresh buses and a topic nobody else uses. */
export interface ContractKit {
  /** A new bus on the shared broker; closed after the test. */
  bus(): Promise<Bus>;
  /** A topic unique to this call, so tests never see each other's messages. */
  topic(): string;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `withinMs` passes; throws with `what` then. */
export async function waitUntil(check: () => boolean, what: string, withinMs = 5_000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out after ${withinMs} ms waiting until ${what}`);
    await sleep(5);
  }
}
