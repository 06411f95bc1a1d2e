/**
 * The explicit registry of filters and weighers by name. Each entry is a name and a factory
 * taking that plugin's options; `register*` throws on a duplicate name, lookups on an unknown one.
 */
import { badRequest, conflict } from "@stratus/core/errors";
import type { HostFilter, HostWeigher } from "./plugin.js";

/** Makes a filter from its options (validated by the factory, e.g. with zod). */
export type FilterFactory = (options?: unknown) => HostFilter;
/** Makes a weigher from its options. */
export type WeigherFactory = (options?: unknown) => HostWeigher;

/** Filters and weighers by name. */
export class Registry {
  readonly #filters = new Map<string, FilterFactory>();
  readonly #weighers = new Map<string, WeigherFactory>();

  /** Adds a filter factory; throws `conflict` when the name is taken. Returns this registry. */
  registerFilter(name: string, factory: FilterFactory): this {
    if (this.#filters.has(name)) throw conflict(`Filter '${name}' is already registered.`);
    this.#filters.set(name, factory);
    return this;
  }

  /** Adds a weigher factory; throws `conflict` when the name is taken. Returns this registry. */
  registerWeigher(name: string, factory: WeigherFactory): this {
    if (this.#weighers.has(name)) throw conflict(`Weigher '${name}' is already registered.`);
    this.#weighers.set(name, factory);
    return this;
  }

  /** Builds the named filter; throws `bad_request` naming the known filters when unknown. */
  filter(name: string, options?: unknown): HostFilter {
    const factory = this.#filters.get(name);
    if (factory === undefined) {
      throw badRequest(`Unknown filter '${name}'; known: ${[...this.#filters.keys()].join(", ")}.`);
    }
    return factory(options);
  }

  /** Builds the named weigher; throws `bad_request` naming the known weighers when unknown. */
  weigher(name: string, options?: unknown): HostWeigher {
    const factory = this.#weighers.get(name);
    if (factory === undefined) {
      throw badRequest(`Unknown weigher '${name}'; known: ${[...this.#weighers.keys()].join(", ")}.`);
    }
    return factory(options);
  }

  /** Registered filter names, in registration order. */
  filterNames(): string[] {
    return [...this.#filters.keys()];
  }

  /** Registered weigher names, in registration order. */
  weigherNames(): string[] {
    return [...this.#weighers.keys()];
  }
}
