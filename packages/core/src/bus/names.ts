/**
 * Validation of the names that reach the broker: topics, servers, event names and patterns.
 * AMQP topic matching (`*` one word, `#` zero or more words) for the in-process transport.
 */
import { badRequest } from "../errors/index.js";
import type { Target } from "./types.js";

const TOPIC = /^[A-Za-z0-9_-]{1,100}$/;
const SERVER = /^[A-Za-z0-9_.-]{1,100}$/;
const EVENT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const PATTERN = /^([A-Za-z0-9_-]+|\*|#)(\.([A-Za-z0-9_-]+|\*|#))*$/;
const MAX_ROUTING_KEY = 255;

/** Returns the target unchanged; throws `bad_request` naming the offending part. */
export function checkTarget(target: Target): Target {
  if (!TOPIC.test(target.topic)) {
    throw badRequest(`Invalid bus topic "${target.topic}": use letters, digits, "_" or "-".`);
  }
  if (target.server !== undefined && !SERVER.test(target.server)) {
    throw badRequest(`Invalid bus server "${target.server}": use letters, digits, ".", "_" or "-".`);
  }
  return target;
}

/** Returns the event name; throws `bad_request` unless it is dot-separated words without wildcards. */
export function checkEventName(event: string): string {
  if (event.length > MAX_ROUTING_KEY || !EVENT.test(event)) {
    throw badRequest(`Invalid event name "${event}": use dot-separated words of letters, digits, "_" or "-".`);
  }
  return event;
}

/** Returns the pattern; throws `bad_request` unless it is dot-separated words, `*` or `#`. */
export function checkEventPattern(pattern: string): string {
  if (pattern.length > MAX_ROUTING_KEY || !PATTERN.test(pattern)) {
    throw badRequest(`Invalid event pattern "${pattern}": use dot-separated words, "*" or "#".`);
  }
  return pattern;
}

/** The routing key of a target: `topic` or `topic.server`. */
export function targetKey(target: Target): string {
  return target.server === undefined ? target.topic : `${target.topic}.${target.server}`;
}

/** Human form for messages: `compute` or `compute.host1`. */
export function describeTarget(target: Target): string {
  return targetKey(target);
}

/** A predicate that says whether an event name matches an AMQP topic pattern. */
export function compileEventPattern(pattern: string): (event: string) => boolean {
  const words = checkEventPattern(pattern).split(".");
  return (event) => matchWords(words, 0, event.split("."), 0);
}

function matchWords(pattern: readonly string[], p: number, words: readonly string[], w: number): boolean {
  if (p === pattern.length) return w === words.length;
  const head = pattern[p];
  if (head === "#") {
    // `#` takes zero or more words: try every split point.
    for (let take = w; take <= words.length; take += 1) {
      if (matchWords(pattern, p + 1, words, take)) return true;
    }
    return false;
  }
  if (w === words.length) return false;
  return (head === "*" || head === words[w]) && matchWords(pattern, p + 1, words, w + 1);
}
