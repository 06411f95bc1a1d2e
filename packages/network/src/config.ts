/**
 * The Neutron API's configuration, validated once by zod (ML2's type drivers' ranges, MTUs,
 * quotas, which roles are admin).
 */
import { z } from "zod";

/** Neutron's default per-project quotas (neutron.conf [quotas]). */
export const DEFAULT_QUOTAS = {
  network: 100,
  subnet: 100,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
} as const;

export type QuotaResource = keyof typeof DEFAULT_QUOTAS;
export const QUOTA_RESOURCES = Object.keys(DEFAULT_QUOTAS) as QuotaResource[];

const range = z
  .string()
  .regex(/^\d+:\d+$/, "must be min:max")
  .transform((s) => s.split(":").map(Number) as [number, number])
  .refine(([min, max]) => min <= max, "min must not exceed max");

const vlanRange = z
  .string()
  .regex(/^[^:]+(:\d+:\d+)?$/, "must be physnet or physnet:min:max")
  .transform((s) => {
    const [physnet = "", min, max] = s.split(":");
    return { physnet, min: min === undefined ? null : Number(min), max: max === undefined ? null : Number(max) };
  });

export const NetworkApiOptionsSchema = z.object({
  /** MTU of overlay (geneve/vxlan) networks: the physical MTU minus the encapsulation (1442 for geneve over 1500). */
  overlayMtu: z.number().int().min(68).default(1442),
  /** MTU of vlan and flat networks (ML2's global_physnet_mtu). */
  physicalMtu: z.number().int().min(68).default(1500),
  /** Physical networks vlan and flat networks may use (ML2's flat_networks / network_vlan_ranges names). */
  physnets: z.array(z.string().min(1)).default(["physnet1"]),
  /** Geneve VNI ranges tenant networks draw from, `min:max` (ml2_type_geneve vni_ranges). */
  vniRanges: z.array(range).prefault(["1:65536"]),
  /** VLAN ranges `physnet:min:max` (ml2_type_vlan network_vlan_ranges); a bare physnet allows provider VLANs only. */
  vlanRanges: z.array(vlanRange).default([]),
  /** The type of networks created without provider attributes (ML2's tenant_network_types[0]). */
  tenantNetworkType: z.enum(["geneve", "vlan"]).default("geneve"),
  /** Per-project default quotas; unspecified resources take Neutron's defaults (-1 = unlimited). */
  quotas: z
    .object(Object.fromEntries(Object.keys(DEFAULT_QUOTAS).map((k) => [k, z.number().int().min(-1).optional()])))
    .partial()
    .default({}),
  /** Roles that make a caller an admin besides the context's own is_admin. */
  adminRoles: z.array(z.string()).default(["admin"]),
  /** The public base URL (`http://controller:9696`) for links; default: from the request's Host. */
  publicUrl: z.url().optional(),
  /** The first three octets of generated MAC addresses (Neutron's base_mac). */
  baseMac: z
    .string()
    .regex(/^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/)
    .default("fa:16:3e"),
});

export type NetworkApiOptions = z.input<typeof NetworkApiOptionsSchema>;
export type NetworkApiConfig = z.output<typeof NetworkApiOptionsSchema>;

/** The quota limits for a project given its overrides. */
export function quotaLimits(
  config: NetworkApiConfig,
  overrides: Readonly<Partial<Record<QuotaResource, number>>>,
): Record<QuotaResource, number> {
  const out = { ...DEFAULT_QUOTAS } as Record<QuotaResource, number>;
  for (const r of QUOTA_RESOURCES) out[r] = overrides[r] ?? (config.quotas[r] as number | undefined) ?? out[r];
  return out;
}
