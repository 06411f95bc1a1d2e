/**
 * @stratus/scheduler: two primitives used on their own or together.
 *
 * - Placement (`./placement`): resource providers in trees, inventories, traits, aggregates,
 *   allocations with provider and consumer generations, and allocation candidates that cannot
 *   explode (caps applied while generating).
 * - Host selection (`./selection`): Nova's filter/weigh pipeline with reasons per filter,
 *   normalized weights and an explicit registry.
 *
 * The REST face (the Placement API on port 8778) lands in a later change.
 */
export * from "./placement/index.js";
export * from "./scheduling/index.js";
export * from "./selection/index.js";
