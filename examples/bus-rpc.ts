/**
 * @stratus/core/bus: a typed RPC API declared once, served by one host and called by another,
 * a typed error crossing the bus, and a notification fanned out to a subscriber. In-process here;
 * set STRATUS_EXAMPLE_AMQP_URL (e.g. amqp://guest:guest@127.0.0.1:5672) to run it on RabbitMQ.
 */
import { StratusError } from "@stratus/core";
import {
  amqpUrlDialer,
  type Bus,
  createAmqpBus,
  createInProcessBus,
  defineRpcApi,
  rpcClient,
  serveRpcApi,
} from "@stratus/core/bus";
import { notFound } from "@stratus/core/errors";
import { z } from "zod";

const computeApi = defineRpcApi("compute", {
  build: { request: z.object({ uuid: z.string(), flavor: z.string() }), response: z.object({ state: z.string() }) },
  get: { request: z.object({ uuid: z.string() }), response: z.object({ state: z.string() }) },
});

const amqpUrl = process.env["STRATUS_EXAMPLE_AMQP_URL"];
const bus: Bus = amqpUrl
  ? await createAmqpBus({ dialer: amqpUrlDialer(amqpUrl), prefix: `stratus-example-${process.pid}` })
  : createInProcessBus();
try {
  const instances = new Map<string, string>();
  await serveRpcApi(
    bus,
    computeApi,
    {
      build: async ({ uuid }) => {
        instances.set(uuid, "ACTIVE");
        await bus.notify("compute.instance.create.end", { uuid });
        return { state: "ACTIVE" };
      },
      get: ({ uuid }) => {
        const state = instances.get(uuid);
        if (!state) throw notFound(`Instance ${uuid} could not be found.`);
        return { state };
      },
    },
    { server: "host1" },
  );

  const events: string[] = [];
  await bus.subscribe("compute.instance.*.end", (_payload, { event }) => {
    events.push(event);
  });

  const compute = rpcClient(bus, computeApi);
  const built = await compute.call("build", { uuid: "i-1", flavor: "m1.small" }, { timeoutMs: 5_000, server: "host1" });
  const missing = await compute.call("get", { uuid: "i-2" }, { timeoutMs: 5_000 }).catch((err: unknown) => err);
  for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 10));

  const missingCode = StratusError.is(missing) ? missing.code : "none";
  console.log(`build -> ${built.state}; get of an unknown instance -> ${missingCode}; events: ${events.join(", ")}`);
  if (built.state !== "ACTIVE" || missingCode !== "not_found" || events[0] !== "compute.instance.create.end")
    process.exit(1);
  console.log("ok");
} finally {
  await bus.close();
}
