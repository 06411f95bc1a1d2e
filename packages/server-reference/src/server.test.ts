import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@stratus/core";
import { afterEach, describe, expect, it } from "vitest";
import { serve } from "./composition.js";
import { loadServerConfig } from "./config.js";
import type { RunningServer } from "./server.js";
import { SERVICE_NAMES } from "./services.js";

type Version = { id: string; status: string };
/** Keystone nests its list under `values`; the others send the list itself. */
type Body = { versions: Version[] & { values: Version[] } };

const allOnPortZero = Object.fromEntries(SERVICE_NAMES.map((n) => [n, { port: 0 }]));
let running: RunningServer | undefined;
/** A config with these listeners, a throwaway data dir and a cheap bcrypt cost. */
const config = (services: Record<string, unknown>) =>
  loadServerConfig({
    overrides: {
      services,
      dataDir: mkdtempSync(join(tmpdir(), "stratus-server-")),
      identity: { passwordHashRounds: 4 },
    },
  });
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("the all-in-one server", () => {
  it.each([
    ["identity", 300, (b: Body) => b.versions.values[0]?.id],
    ["compute", 200, (b: Body) => b.versions.find((v) => v.status === "CURRENT")?.id],
    ["network", 200, (b: Body) => b.versions[0]?.id],
    ["block", 300, (b: Body) => b.versions[0]?.id],
    ["image", 300, (b: Body) => b.versions.find((v) => v.status === "CURRENT")?.id],
    ["orchestration", 300, (b: Body) => b.versions[0]?.id],
    ["placement", 200, (b: Body) => b.versions[0]?.id],
  ])("serves %s's version document at / with the status the real service uses", async (name, status, idOf) => {
    running = await serve(config(allOnPortZero), silentLogger());
    const url = running.services.find((s) => s.name === name)?.url;
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(status);
    expect(res.headers.get("x-openstack-request-id")).toMatch(/^req-/);
    const body = (await res.json()) as Body;
    expect(idOf(body)).toMatch(/^v\d/);
    // links point at the port actually bound, not at port 0
    if (name !== "placement") expect(JSON.stringify(body)).toContain(url);
  });

  it("does not serve a service that is disabled", async () => {
    const services = { ...allOnPortZero, image: { enabled: false, port: 0 } };
    running = await serve(config(services), silentLogger());
    expect(running.services.map((s) => s.name)).not.toContain("image");
    expect(running.services).toHaveLength(6);
  });

  it("fails to start when a port is taken, leaving none of its listeners open", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const taken = (blocker.address() as { port: number }).port;
    const services = { ...allOnPortZero, network: { port: taken } };
    await expect(serve(config(services), silentLogger())).rejects.toMatchObject({
      code: "EADDRINUSE",
    });
    await new Promise((r) => blocker.close(r));
  });

  it("closes idempotently", async () => {
    const server = await serve(config(allOnPortZero), silentLogger());
    const url = server.services[0]?.url;
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});
