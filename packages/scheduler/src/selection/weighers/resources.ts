/**
 * Nova's resource weighers. Each returns a raw number; the pipeline normalizes it to [0, 1]
 * across hosts and multiplies it (defaults in `DEFAULT_WEIGHER_MULTIPLIERS`).
 */
import { freeVcpus } from "../host-state.js";
import type { HostWeigher } from "../plugin.js";

/** Free RAM in MiB: with a positive multiplier, spreads instances. */
export const ramWeigher: HostWeigher = { name: "RAMWeigher", weigh: (host) => host.freeRamMb };

/** Free vCPUs counting the CPU allocation ratio. */
export const cpuWeigher: HostWeigher = { name: "CPUWeigher", weigh: (host) => freeVcpus(host) };

/** Free disk in MiB. */
export const diskWeigher: HostWeigher = { name: "DiskWeigher", weigh: (host) => host.freeDiskMb };

/** Concurrent IO-heavy tasks; the default multiplier -1.0 prefers idle hosts. */
export const ioOpsWeigher: HostWeigher = { name: "IoOpsWeigher", weigh: (host) => host.numIoOps };

/** Instances on the host; the default multiplier 0.0 disables it. */
export const numInstancesWeigher: HostWeigher = { name: "NumInstancesWeigher", weigh: (host) => host.numInstances };

/** Minus the recent failed builds: with the default multiplier 1e6, failing hosts sink. */
export const buildFailureWeigher: HostWeigher = { name: "BuildFailureWeigher", weigh: (host) => -host.failedBuilds };
