/**
 * ImagePropertiesFilter: the image's `hw_architecture`, `img_hv_type` and `hw_vm_mode` must be
 * one of the host's supported instance triples, and `img_hv_requested_version` (e.g. `>=6.0`)
 * must be compatible with the hypervisor version (same major, not older), as Nova checks it.
 */
import { fail, type HostFilter, PASS } from "../plugin.js";
import { perSpec } from "../spec-memo.js";

const ARCH_ALIASES: Readonly<Record<string, string>> = {
  amd64: "x86_64",
  x86: "i686",
  i386: "i686",
  arm64: "aarch64",
  ppc64el: "ppc64le",
};
const HV_ALIASES: Readonly<Record<string, string>> = { xapi: "xen" };
const VM_MODE_ALIASES: Readonly<Record<string, string>> = { hv: "hvm", baremetal: "hvm", pv: "xen" };

function canonical(value: string | undefined, aliases: Readonly<Record<string, string>>): string | undefined {
  if (value === undefined) return undefined;
  const lower = value.trim().toLowerCase();
  return aliases[lower] ?? lower;
}

/** Nova's integer version (major * 1e6 + minor * 1e3 + micro) as [major, minor, micro]. */
export function decodeHypervisorVersion(version: number): [number, number, number] {
  return [Math.floor(version / 1_000_000), Math.floor(version / 1_000) % 1_000, version % 1_000];
}

function versionCompatible(required: string, hostVersion: number): boolean {
  const wanted = required.replace(">=", "").trim().split(".").map(Number);
  const have = decodeHypervisorVersion(hostVersion);
  if (wanted.some((n) => !Number.isInteger(n)) || wanted[0] !== have[0]) return false;
  for (let i = 0; i < 3; i++) {
    const w = wanted[i] ?? 0;
    if (have[i]! !== w) return have[i]! > w;
  }
  return true;
}

const wanted = perSpec((spec) => {
  const props = spec.image.properties;
  return {
    arch: canonical(props["hw_architecture"] ?? props["architecture"], ARCH_ALIASES),
    hvType: canonical(props["img_hv_type"] ?? props["hypervisor_type"], HV_ALIASES),
    vmMode: canonical(props["hw_vm_mode"] ?? props["vm_mode"], VM_MODE_ALIASES),
    version: props["img_hv_requested_version"],
  };
});

/** Nova's ImagePropertiesFilter. */
export const imagePropertiesFilter: HostFilter = {
  name: "ImagePropertiesFilter",
  filter(host, spec) {
    const { arch, hvType, vmMode, version } = wanted(spec);
    if (arch === undefined && hvType === undefined && vmMode === undefined && version === undefined) return PASS;
    if (arch !== undefined || hvType !== undefined || vmMode !== undefined) {
      if (host.supportedInstances.length === 0) return fail("host reports no supported instance types");
      let supported = false;
      for (const s of host.supportedInstances) {
        if (
          (arch === undefined || s.arch === arch) &&
          (hvType === undefined || s.hvType === hvType) &&
          (vmMode === undefined || s.vmMode === vmMode)
        ) {
          supported = true;
          break;
        }
      }
      if (!supported) {
        return fail(
          `host supports no instance type matching arch=${arch ?? "*"} hv_type=${hvType ?? "*"} vm_mode=${vmMode ?? "*"}`,
        );
      }
    }
    if (version !== undefined && host.hypervisorVersion > 0 && !versionCompatible(version, host.hypervisorVersion)) {
      return fail(
        `hypervisor version ${decodeHypervisorVersion(host.hypervisorVersion).join(".")} is not '${version}'`,
      );
    }
    return PASS;
  },
};
