/**
 * @stratus/core/http: a tiny Nova-like service. One zod-validated route behind a token check,
 * microversions, and faults in Nova's own format, called over real HTTP on loopback.
 */
import { newUuid } from "@stratus/core";
import { notFound } from "@stratus/core/errors";
import { createServiceApp, StaticAuthenticator } from "@stratus/core/http";
import { z } from "zod";

const app = createServiceApp({
  service: "compute",
  microversions: { service: "compute", min: "2.1", max: "2.96", legacyHeader: "X-OpenStack-Nova-API-Version" },
  authenticator: new StaticAuthenticator({ "demo-token": { projectId: "p1", userId: "u1", roles: ["member"] } }),
  identityUri: "http://127.0.0.1:5000",
});

const CreateServer = z.object({ server: z.object({ name: z.string().min(1).max(255), flavorRef: z.string() }) });
app.post("/v2.1/servers", { schema: { body: CreateServer } }, async (request, reply) => {
  if (request.body.server.flavorRef === "0") throw notFound("Flavor 0 could not be found.");
  const server: Record<string, unknown> = { id: newUuid(), name: request.body.server.name };
  // from 2.47 on, Nova shows the flavor inline: behaviour that depends on the negotiated version
  if (request.microversion?.atLeast("2.47")) server["flavor"] = { original_name: request.body.server.flavorRef };
  return reply.code(202).send({ server });
});

await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(`${base}/v2.1/servers`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const auth = { "x-auth-token": "demo-token" };
const good = JSON.stringify({ server: { name: "vm1", flavorRef: "1" } });
const outcomes = {
  created: await post(good, { ...auth, "openstack-api-version": "compute 2.53" }),
  noToken: await post(good, {}),
  badBody: await post(JSON.stringify({ server: { name: 42 } }), auth),
  badJson: await post("{not json", auth),
  unknownFlavor: await post(JSON.stringify({ server: { name: "vm1", flavorRef: "0" } }), auth),
  tooNew: await post(good, { ...auth, "openstack-api-version": "compute 9.0" }),
};
await app.close();

for (const [name, o] of Object.entries(outcomes))
  console.log(`${name.padEnd(14)} ${o.status} ${JSON.stringify(o.body)}`);
const expected = { created: 202, noToken: 401, badBody: 400, badJson: 400, unknownFlavor: 404, tooNew: 406 };
const wrong = Object.entries(expected).filter(([k, status]) => outcomes[k as keyof typeof outcomes].status !== status);
if (
  wrong.length > 0 ||
  !("itemNotFound" in outcomes.unknownFlavor.body) ||
  !("flavor" in (outcomes.created.body["server"] as object))
) {
  console.log(`unexpected: ${JSON.stringify(wrong)}`);
  process.exit(1);
}
console.log("ok");
