/**
 * The paths the app serves and their methods, kept from Fastify's onRoute hook so a miss can be
 * told apart as "no such path" (404) or "no such method here" (405). Used only on the error path.
 */
interface IndexedRoute {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

const escapeRegExp = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

/** Turns a Fastify path (`/servers/:id`, `/files/*`) into an anchored regular expression. */
export function pathPattern(url: string): RegExp {
  const source = url
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part === "*" ? ".*" : escapeRegExp(part)))
    .join("/");
  return new RegExp(`^${source}/?$`);
}

export class RouteIndex {
  private readonly routes = new Map<string, IndexedRoute>();

  /** Records that `url` answers `methods`; idempotent. */
  add(url: string, methods: string | readonly string[]): void {
    const entry = this.routes.get(url) ?? { pattern: pathPattern(url), methods: new Set<string>() };
    for (const m of typeof methods === "string" ? [methods] : methods) entry.methods.add(m.toUpperCase());
    this.routes.set(url, entry);
  }

  /** The methods some route accepts at `path` (query string ignored), sorted; empty if none. */
  allowedMethods(path: string): string[] {
    const bare = path.split("?")[0] ?? path;
    const allowed = new Set<string>();
    for (const route of this.routes.values()) {
      if (route.pattern.test(bare)) for (const m of route.methods) allowed.add(m);
    }
    return [...allowed].sort();
  }
}
