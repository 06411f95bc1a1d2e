/** The service catalog as Keystone models it: regions, services and their endpoints. */

/** Extra attributes a client sent beyond the known ones; Keystone stores and returns them. */
export type Extra = Readonly<Record<string, unknown>>;

export interface Region {
  readonly id: string;
  /** Never null: Keystone stores a missing description as "". */
  readonly description: string;
  readonly parent_region_id: string | null;
  readonly extra: Extra;
}

export interface Service {
  readonly id: string;
  /** The catalog type clients look up (`compute`, `identity`, `volumev3`, ...). */
  readonly type: string;
  readonly enabled: boolean;
  /** Keystone keeps name and description among the extra attributes; "" when never set. */
  readonly name: string;
  readonly extra: Extra;
}

export const ENDPOINT_INTERFACES = ["admin", "internal", "public"] as const;
export type EndpointInterface = (typeof ENDPOINT_INTERFACES)[number];

export interface Endpoint {
  readonly id: string;
  readonly interface: EndpointInterface;
  readonly service_id: string;
  /** May hold `$(project_id)s`-style substitutions, resolved per token. */
  readonly url: string;
  readonly region_id: string | null;
  readonly enabled: boolean;
  readonly extra: Extra;
}

/** One service of a token's catalog, in Keystone's v3 shape. */
export interface CatalogEntry {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: ReadonlyArray<{
    readonly id: string;
    readonly interface: EndpointInterface;
    readonly region: string | null;
    readonly region_id: string | null;
    readonly url: string;
  }>;
}
