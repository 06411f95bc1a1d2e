/**
 * The seven OpenStack services the reference server runs, with the port and catalog type each
 * has in a real OpenStack deployment. One table: the listeners, the catalog and `--help` read it.
 */
import { SERVICE_NAMES, type ServiceName } from "@stratus/core/http";

export { SERVICE_NAMES, type ServiceName };

export interface ServiceDescriptor {
  /** Our name for it, used in config (`services.compute.port`) and logs. */
  readonly name: ServiceName;
  /** The catalog service type clients look up (`compute`, `volumev3`, ...). */
  readonly catalogType: string;
  /** The OpenStack project whose API it speaks. */
  readonly openstackName: string;
  /** The port it listens on in a standard OpenStack deployment. */
  readonly defaultPort: number;
}

export const SERVICES: Readonly<Record<ServiceName, ServiceDescriptor>> = {
  identity: { name: "identity", catalogType: "identity", openstackName: "keystone", defaultPort: 5000 },
  compute: { name: "compute", catalogType: "compute", openstackName: "nova", defaultPort: 8774 },
  network: { name: "network", catalogType: "network", openstackName: "neutron", defaultPort: 9696 },
  block: { name: "block", catalogType: "block-storage", openstackName: "cinder", defaultPort: 8776 },
  image: { name: "image", catalogType: "image", openstackName: "glance", defaultPort: 9292 },
  orchestration: { name: "orchestration", catalogType: "orchestration", openstackName: "heat", defaultPort: 8004 },
  placement: { name: "placement", catalogType: "placement", openstackName: "placement", defaultPort: 8778 },
};
