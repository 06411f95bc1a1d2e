// Reads vitest's JSON report and the gate files of scripts/test.sh, prints the skipped tests with
// their reasons, and ends with the plain closing line CI reads: `N passed, N failed, N skipped`.
// Exits 1 on any failure, and when nothing ran at all.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? ".test-results";
let passed = 0;
let failed = 0;
let skipped = 0;
const skippedNames = [];
const failedNames = [];

for (const file of readdirSync(dir).filter((f) => f.endsWith(".gate"))) {
  const ok = readFileSync(join(dir, file), "utf8").trim() === "pass";
  ok ? passed++ : failed++;
  if (!ok) failedNames.push(`gate ${file.replace(/\.gate$/, "")}`);
}

const reportPath = join(dir, "vitest.json");
if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, "utf8"));
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    // a file that failed to load (syntax error, failing beforeAll) has no passing tests: count it
    if (suite.status === "failed" && !tests.some((t) => t.status === "failed")) {
      failed++;
      failedNames.push(`${suite.name}: ${(suite.message ?? "").split("\n")[0]}`);
    }
    for (const t of tests) {
      if (t.status === "passed") passed++;
      else if (t.status === "failed") {
        failed++;
        failedNames.push(`${suite.name} > ${t.fullName}`);
      } else {
        skipped++;
        skippedNames.push(`${suite.name.replace(`${process.cwd()}/`, "")} > ${t.fullName}`);
      }
    }
  }
} else {
  failed++;
  failedNames.push("vitest wrote no report (it crashed before running the tests)");
}

if (skippedNames.length > 0) console.log(`\nskipped (not run):\n  ${skippedNames.join("\n  ")}`);
if (failedNames.length > 0) console.log(`\nfailed:\n  ${failedNames.join("\n  ")}`);
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
