/** The notification half of the bus contract (notify, subscribe). See `contract.ts`. */
import { expect, it } from "vitest";
import { type ContractKit, sleep, waitUntil } from "./contract-kit.js";
import type { EventContext } from "./types.js";

/** Registers the notification tests of the bus contract. */
export function eventContract(kit: ContractKit): void {
  it("every subscriber, on any bus, gets each event once with its name, id and time", async () => {
    const [a, b, publisher] = [await kit.bus(), await kit.bus(), await kit.bus()];
    const seen: Array<[string, unknown, EventContext]> = [];
    const event = `${kit.topic()}.instance.create.end`;
    await a.subscribe(event, (payload, context) => void seen.push(["a1", payload, context]));
    await a.subscribe(event, (payload, context) => void seen.push(["a2", payload, context]));
    await b.subscribe(event, (payload, context) => void seen.push(["b", payload, context]));
    const before = Date.now();
    await publisher.notify(event, { uuid: "i-1" });
    await waitUntil(() => seen.length >= 3, "three subscribers got the event");
    await sleep(100);
    expect(seen.map(([who]) => who).sort()).toEqual(["a1", "a2", "b"]);
    for (const [, payload, context] of seen) {
      expect(payload).toEqual({ uuid: "i-1" });
      expect(context.event).toBe(event);
      expect(context.id).toBe(seen[0]?.[2].id);
      expect(context.timestamp).toBeGreaterThanOrEqual(before - 1_000);
    }
  });

  it.each([
    ["`*` matches exactly one word", "P.instance.*.end", "P.instance.create.end", true],
    ["`*` does not match two words", "P.*.end", "P.instance.create.end", false],
    ["`#` matches several words", "P.#", "P.instance.create.end", true],
    ["`#` matches zero words", "P.instance.create.end.#", "P.instance.create.end", true],
    ["`#` in the middle matches the words between", "P.#.end", "P.instance.create.end", true],
    ["a literal pattern does not match a longer name", "P.instance", "P.instance.create.end", false],
    ["a pattern for another service does not match", "P.volume.#", "P.instance.create.end", false],
  ])("a subscription to a pattern: %s", async (_name, pattern, event, expected) => {
    const bus = await kit.bus();
    const prefix = kit.topic();
    const seen: string[] = [];
    const fence: string[] = [];
    await bus.subscribe(pattern.replace("P", prefix), (_payload, context) => void seen.push(context.event));
    await bus.subscribe(`${prefix}.#`, (_payload, context) => void fence.push(context.event));
    await bus.notify(event.replace("P", prefix), {});
    await waitUntil(() => fence.length === 1, "the catch-all subscriber got the event");
    await sleep(expected ? 0 : 150);
    if (expected) await waitUntil(() => seen.length === 1, "the pattern subscriber got the event");
    expect(seen).toEqual(expected ? [event.replace("P", prefix)] : []);
  });

  it("an unsubscribed handler gets no more events, and stop() is idempotent", async () => {
    const bus = await kit.bus();
    const event = `${kit.topic()}.volume.delete.end`;
    const seen: unknown[] = [];
    const subscription = await bus.subscribe(event, (payload) => void seen.push(payload));
    await bus.notify(event, 1);
    await waitUntil(() => seen.length === 1, "the first event arrived");
    await Promise.all([subscription.stop(), subscription.stop()]);
    await bus.notify(event, 2);
    await sleep(150);
    expect(seen).toEqual([1]);
  });

  it("a failing subscriber does not stop the next events from arriving", async () => {
    const bus = await kit.bus();
    const event = `${kit.topic()}.port.update`;
    const seen: unknown[] = [];
    await bus.subscribe(event, (payload) => {
      seen.push(payload);
      throw new Error("subscriber bug");
    });
    await bus.notify(event, 1);
    await bus.notify(event, 2);
    await waitUntil(() => seen.length === 2, "both events arrived");
    expect(seen).toEqual([1, 2]);
  });

  it("notifying with nobody subscribed resolves", async () => {
    const bus = await kit.bus();
    await expect(bus.notify(`${kit.topic()}.nobody.listens`, {})).resolves.toBeUndefined();
  });

  it.each([
    ["an event name with a wildcard", "compute.*", "notify"],
    ["an event name with an empty word", "compute..end", "notify"],
    ["a pattern with a partial wildcard", "compute.inst*", "subscribe"],
  ])("%s is rejected with bad_request", async (_name, name, operation) => {
    const bus = await kit.bus();
    const attempt = operation === "notify" ? bus.notify(name, {}) : bus.subscribe(name, () => {});
    await expect(attempt).rejects.toMatchObject({ code: "bad_request" });
  });
}
