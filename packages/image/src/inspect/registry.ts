/**
 * The one list of format probes the inspector runs (all of them, on every stream: a file that
 * two of them claim is a polyglot). `register` refuses duplicate names.
 */
import { IsoProbe } from "./formats/iso.js";
import { PartitionTableProbe } from "./formats/partition-table.js";
import { Qcow2Probe } from "./formats/qcow2.js";
import { VdiProbe } from "./formats/vdi.js";
import { VhdProbe } from "./formats/vhd.js";
import { VhdxProbe } from "./formats/vhdx.js";
import { VmdkProbe } from "./formats/vmdk.js";
import type { ProbeFactory } from "./probe.js";

export class ProbeRegistry {
  private readonly factories = new Map<string, ProbeFactory>();

  /** Adds a probe; throws when one of that name is registered already. */
  register(factory: ProbeFactory): this {
    if (this.factories.has(factory.name)) throw new Error(`format probe ${factory.name} is registered twice`);
    this.factories.set(factory.name, factory);
    return this;
  }

  /** The probes in registration order (the first container listed wins the report of a polyglot). */
  list(): readonly ProbeFactory[] {
    return [...this.factories.values()];
  }
}

export const defaultProbes = new ProbeRegistry()
  .register({ name: "qcow2", create: () => new Qcow2Probe() })
  .register({ name: "vmdk", create: () => new VmdkProbe() })
  .register({ name: "vhdx", create: () => new VhdxProbe() })
  .register({ name: "vhd", create: () => new VhdProbe() })
  .register({ name: "vdi", create: () => new VdiProbe() })
  .register({ name: "iso", create: () => new IsoProbe() })
  .register({ name: "partition-table", create: () => new PartitionTableProbe() });
