/**
 * Token figures: validate and issue throughput of TokenProvider (3-key repository, 10k revocation
 * events in force), side by side with Keystone's own TokenFormatter (python3-keystone) on the same
 * machine. Run: npx tsx packages/identity/bench/token.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  FernetKeyRepository,
  RevocationIndex,
  revocationEvent,
  revokeAuditId,
  revokeProject,
  revokeUser,
  TokenProvider,
} from "../src/token/index.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const U = "6bb7a1e0f7a44f6aa4e5d57d51a1c0de";
const P = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "keystone", "make-fixtures.py");

/** Runs `op` in rounds of `batch` for about `ms`; returns the best round's ops/s. */
async function opsPerSecond(op: () => unknown, ms = 1500, batch = 2000): Promise<number> {
  for (let i = 0; i < batch; i++) await op();
  let best = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await op();
    best = Math.max(best, batch / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return Math.round(best);
}

/** The figures; needs /usr/bin/python3 with python3-keystone for the Keystone side. */
export async function benchToken(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-bench-keys-"));
  try {
    const keys = FernetKeyRepository.setup(join(dir, "keys"));
    keys.rotate();
    const revocations = new RevocationIndex();
    const now = new Date();
    for (let i = 0; i < 10_000; i++) {
      const input =
        i % 3 === 0 ? revokeUser(`user${i}`) : i % 3 === 1 ? revokeAuditId(`audit${i}`) : revokeProject(`p${i}`);
      revocations.add(revocationEvent(input, now));
    }
    const tokens = new TokenProvider({ keys, revocations });
    const request = { userId: U, methods: ["password"], scope: { kind: "project", projectId: P } } as const;
    const { token } = tokens.issue(request);
    const validate = await opsPerSecond(() => tokens.validate(token));
    const issue = await opsPerSecond(() => tokens.issue(request));

    const py = JSON.parse(execFileSync("/usr/bin/python3", [SCRIPT, "bench", "3000"], { encoding: "utf8" })) as {
      create_per_s: number;
      validate_per_s: number;
    };
    return [
      { name: "validate, project-scoped, 3 keys, 10k revocation events (Stratus)", value: validate, unit: "ops/s" },
      {
        name: "validate_token, project-scoped (Keystone 22 TokenFormatter, Python)",
        value: Math.round(py.validate_per_s),
        unit: "ops/s",
      },
      { name: "validate: Stratus / Keystone", value: validate / py.validate_per_s, unit: "x" },
      { name: "issue, project-scoped (Stratus)", value: issue, unit: "ops/s" },
      {
        name: "create_token, project-scoped (Keystone 22 TokenFormatter, Python)",
        value: Math.round(py.create_per_s),
        unit: "ops/s",
      },
      { name: "issue: Stratus / Keystone", value: issue / py.create_per_s, unit: "x" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await benchToken()) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(1);
    console.log(`  ${f.name.padEnd(72)} ${value.padStart(10)} ${f.unit}`);
  }
}
