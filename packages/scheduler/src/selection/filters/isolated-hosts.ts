/**
 * IsolatedHostsFilter: isolated images boot only on isolated hosts, and (when
 * `restrictIsolatedHostsToIsolatedImages`, the default) isolated hosts run only isolated images.
 */
import { z } from "zod";
import { fail, type HostFilter, PASS } from "../plugin.js";

/** Options of `isolatedHostsFilter`, validated once by zod. */
export const IsolatedHostsOptions = z.object({
  isolatedImages: z.array(z.string()).default([]),
  isolatedHosts: z.array(z.string()).default([]),
  restrictIsolatedHostsToIsolatedImages: z.boolean().default(true),
});

/** Builds the filter; throws a ZodError for malformed options. */
export function isolatedHostsFilter(options: unknown = {}): HostFilter {
  const o = IsolatedHostsOptions.parse(options ?? {});
  const images = new Set(o.isolatedImages);
  const hosts = new Set(o.isolatedHosts);
  return {
    name: "IsolatedHostsFilter",
    filter(host, spec) {
      if (images.size === 0 && hosts.size === 0) return PASS;
      const hostIsolated = hosts.has(host.host);
      const imageIsolated = spec.image.id !== undefined && images.has(spec.image.id);
      if (imageIsolated && !hostIsolated) return fail("image is isolated and the host is not");
      if (o.restrictIsolatedHostsToIsolatedImages && hostIsolated && !imageIsolated) {
        return fail("host is isolated and the image is not");
      }
      return PASS;
    },
  };
}
