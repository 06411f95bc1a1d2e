/**
 * The VMDK text descriptor: parsed cautiously, line by line; a line we do not understand is a
 * finding, never skipped (a descriptor is a small program for qemu: extents name files).
 */
import { quoteName } from "../bytes.js";
import { reject } from "../probe.js";
import type { Finding } from "../types.js";

export interface VmdkExtent {
  readonly access: string;
  readonly sectors: number;
  readonly type: string;
  readonly fileName: string | undefined;
}

export interface VmdkDescriptor {
  readonly createType: string | undefined;
  readonly parentCid: string | undefined;
  readonly parentHint: string | undefined;
  readonly extents: readonly VmdkExtent[];
  readonly findings: readonly Finding[];
}

const EXTENT = /^(rw|rdonly|noaccess)\s+(\d+)\s+([a-z]+)(?:\s+"([^"]*)"(?:\s+\d+)?)?$/i;
const FIELD = /^([a-z0-9_.]+)\s*=\s*"?([^"]*)"?$/i;

/** Text of a descriptor region: up to the first NUL (embedded descriptors are NUL padded). */
export function descriptorText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return String.fromCharCode(...(nul < 0 ? bytes : bytes.subarray(0, nul)));
}

/** True when bytes look like the start of a text descriptor file. */
export function looksLikeDescriptor(bytes: Uint8Array): boolean {
  return /^\s*#\s*disk\s*descriptorfile/i.test(String.fromCharCode(...bytes.subarray(0, 64)));
}

export function parseDescriptor(text: string): VmdkDescriptor {
  const fields = new Map<string, string>();
  const extents: VmdkExtent[] = [];
  const findings: Finding[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const extent = EXTENT.exec(line);
    if (extent) {
      extents.push({
        access: (extent[1] ?? "").toUpperCase(),
        sectors: Number(extent[2]),
        type: (extent[3] ?? "").toUpperCase(),
        fileName: extent[4],
      });
      continue;
    }
    const field = FIELD.exec(line);
    if (field) {
      fields.set((field[1] ?? "").toLowerCase(), field[2] ?? "");
      continue;
    }
    findings.push(
      reject("vmdk-descriptor-invalid", `the VMDK descriptor has a line we do not understand: ${quoteName(line)}`),
    );
    break;
  }
  return {
    createType: fields.get("createtype"),
    parentCid: fields.get("parentcid"),
    parentHint: fields.get("parentfilenamehint"),
    extents,
    findings,
  };
}

export const SAFE_CREATE_TYPES = ["monolithicSparse", "streamOptimized"];

/**
 * Findings of a descriptor. `embedded`: the descriptor sits inside a sparse extent, whose one
 * SPARSE extent line names the image itself; a separate text descriptor has no such extent, so
 * every extent it lists names another file.
 */
export function descriptorFindings(d: VmdkDescriptor, embedded: boolean): Finding[] {
  const out = [...d.findings];
  const type = d.createType;
  if (!type || !SAFE_CREATE_TYPES.some((t) => t.toLowerCase() === type.toLowerCase()))
    out.push(
      reject(
        "vmdk-unsupported-create-type",
        `the VMDK createType ${quoteName(type ?? "(none)")} is not monolithicSparse or streamOptimized`,
      ),
    );
  if (d.parentCid !== undefined && d.parentCid.toLowerCase() !== "ffffffff")
    out.push(
      reject(
        "vmdk-parent",
        `the VMDK descriptor names a parent (parentCID ${quoteName(d.parentCid)}${d.parentHint ? `, ${quoteName(d.parentHint)}` : ""})`,
      ),
    );
  else if (d.parentHint)
    out.push(reject("vmdk-parent", `the VMDK descriptor names a parent file ${quoteName(d.parentHint)}`));
  if (d.extents.length === 0) out.push(reject("vmdk-descriptor-invalid", "the VMDK descriptor lists no extent"));
  for (const [i, e] of d.extents.entries()) {
    const name = e.fileName ?? "";
    const external = !embedded
      ? e.type !== "ZERO"
      : i > 0 || e.type !== "SPARSE" || /[/\\]/.test(name) || name.includes("..");
    if (external)
      out.push(
        reject(
          "vmdk-external-extent",
          `the VMDK descriptor's extent ${i + 1} (${e.type} ${quoteName(name)}) reads data from another file`,
        ),
      );
  }
  return out;
}
