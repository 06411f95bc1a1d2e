/**
 * Runs every example program as its own process, the way a user would (`node --import tsx`),
 * so the examples never rot. Each example exits 0 and prints a line starting with "ok" when it
 * did what it says; anything else fails here with the program's output.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useCeph, useOvn } from "../scripts/harness/index.js";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const programs = readdirSync(here).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("examples", () => {
  it("has at least one example program", () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  it.each(programs)(
    "%s runs to completion and reports ok",
    async (program) => {
      // the rados examples talk to the harness's single-node Ceph
      const ceph = program.startsWith("rados-") ? await useCeph({ objectstore: "memstore" }) : undefined;
      const cephEnv =
        ceph === undefined ? {} : { CEPH_CONF: ceph.conf, CEPH_POOL: ceph.pool, CEPH_KEYRING: ceph.keyring };
      // the ovsdb examples talk to the harness's OVN Northbound database
      const ovn = program.startsWith("ovsdb-") ? await useOvn() : undefined;
      const ovnEnv = ovn === undefined ? {} : { OVN_NB_DB: ovn.nb.unix };
      const { stdout } = await run(
        process.execPath,
        ["--conditions=@stratus/source", "--import", "tsx", `${here}/${program}`],
        { cwd: here, timeout: 60_000, env: { ...process.env, STRATUS_LOG_LEVEL: "warn", ...cephEnv, ...ovnEnv } },
      );
      expect(stdout.trim().split("\n").at(-1)).toMatch(/^ok\b/);
    },
    180_000,
  );
});
