/**
 * globalSetup of the vitest `integration` project (see vitest.config.ts).
 *
 * Setup starts nothing: components come up lazily when a test calls useOvn()/useCeph()/
 * useLibvirt() from scripts/harness/index.ts, so a run that needs none of them pays nothing.
 * It only names this run (STRATUS_HARNESS_RUN, inherited by the test workers), so that leases
 * taken by the run's tests can be told apart from those of a concurrent run in the same checkout.
 *
 * Teardown releases this run's lease on every component tests started; a component stops when no
 * live run uses it any more. With STRATUS_HARNESS_KEEP=1 they are adopted instead: they stay up
 * for the next run (warm start, ~50 ms) until `scripts/harness/stratus-harness down all`.
 * Components a developer started by hand carry no marker and are left alone.
 */
import { adopt, COMPONENTS, harnessDir, harnessRunId, isUp, markedComponents, release } from "./index.js";

export function setup(): void {
  process.env.STRATUS_HARNESS_DIR = harnessDir();
  process.env.STRATUS_HARNESS_RUN = harnessRunId();
}

export async function teardown(): Promise<void> {
  const marked = await markedComponents();
  if (marked.length === 0) return;
  if (process.env.STRATUS_HARNESS_KEEP === "1") {
    for (const component of marked) await adopt(component).catch(() => {});
    console.log(
      `[stratus-harness] STRATUS_HARNESS_KEEP=1: leaving ${marked.join(", ")} running in ${harnessDir()}` +
        " (stop with: scripts/harness/stratus-harness down all)",
    );
    return;
  }
  for (const component of marked) {
    try {
      await release(component);
    } catch (error) {
      console.error(`[stratus-harness] could not stop ${component}:`, error);
    }
  }
  const still: string[] = [];
  for (const component of COMPONENTS) if (marked.includes(component) && (await isUp(component))) still.push(component);
  const stopped = marked.filter((c) => !still.includes(c));
  if (stopped.length)
    console.log(`[stratus-harness] stopped ${stopped.join(", ")} (STRATUS_HARNESS_KEEP=1 keeps them up)`);
  if (still.length) console.log(`[stratus-harness] ${still.join(", ")} still in use by another test run`);
}
