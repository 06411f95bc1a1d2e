/**
 * What the format inspector reports: the verdict on one image and the findings behind it.
 */

/** Disk formats the inspector recognizes, named as Glance's `disk_format` names them. */
export type ImageFormat = "raw" | "qcow2" | "vmdk" | "vhd" | "vhdx" | "vdi" | "iso";

export const IMAGE_FORMATS: readonly ImageFormat[] = ["raw", "qcow2", "vmdk", "vhd", "vhdx", "vdi", "iso"];

/** `reject`: the image must not be used (or handed to qemu-img); `info`: worth knowing, harmless. */
export type FindingSeverity = "reject" | "info";

/** One fact the inspector found, with a reason a person can read (it names offsets and values). */
export interface Finding {
  /** Stable, machine-readable code, e.g. `qcow2-backing-file` (see FINDING_CODES). */
  readonly code: FindingCode;
  /** A sentence for the operator or the uploader. */
  readonly reason: string;
  readonly severity: FindingSeverity;
}

/** Every code a finding may carry; tests and callers can match on them. */
export const FINDING_CODES = [
  // qcow2
  "qcow2-backing-file",
  "qcow2-data-file",
  "qcow2-unknown-incompatible-features",
  "qcow2-dirty",
  "qcow2-corrupt",
  "qcow2-encrypted",
  "qcow2-unsupported-version",
  "qcow2-unknown-compression",
  "qcow2-l1-too-small",
  // vmdk
  "vmdk-external-extent",
  "vmdk-unsupported-create-type",
  "vmdk-descriptor-invalid",
  "vmdk-parent",
  "vmdk-footer-invalid",
  // vhd / vhdx / vdi
  "vhd-differencing",
  "vhdx-parent",
  "vhdx-log-not-replayed",
  "vhdx-unknown-required-metadata",
  "vdi-differencing",
  // any format
  "header-invalid",
  "header-truncated",
  "header-checksum",
  "table-beyond-eof",
  "metadata-not-streamable",
  "polyglot",
  "virtual-size-too-large",
  "partition-table",
  "format-mismatch",
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** The inspector's answer once the whole stream went through it. */
export interface Verdict {
  /** The detected format; `raw` when nothing more specific matched. */
  readonly format: ImageFormat;
  /** Size of the disk the image describes, in bytes. */
  readonly virtualSize: number;
  /** Bytes in the stream (the image file's size). */
  readonly actualSize: number;
  /** Allocation unit (qcow2 cluster, vmdk grain, vhd/vhdx/vdi block), when the format has one. */
  readonly clusterSize?: number;
  /** `zlib` or `zstd` (qcow2), `deflate` (vmdk streamOptimized). */
  readonly compression?: string;
  /** vmdk createType, `fixed`/`dynamic` for vhd and vdi, `v2`/`v3` for qcow2. */
  readonly subformat?: string;
  readonly findings: readonly Finding[];
  /** True when no finding has severity `reject`. */
  readonly safe: boolean;
  /** Distinct bytes of the stream the inspector had to look at (headers, metadata, tail). */
  readonly bytesInspected: number;
}

/** Options of a FormatInspector. */
export interface InspectorOptions {
  /** Largest virtual size accepted, in bytes; default 16 TiB. */
  readonly maxVirtualSize?: number;
}

export const DEFAULT_MAX_VIRTUAL_SIZE = 16 * 2 ** 40;
