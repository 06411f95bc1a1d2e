/**
 * MAC addresses as Neutron handles them: validation (unicast, six octets), lower-case canonical
 * text, and generation under the configured base MAC. Pure.
 */

/** The canonical (lower-case, colon-separated) form of a unicast MAC, or null when invalid. */
export function canonicalMac(text: string): string | null {
  const m =
    /^([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})$/.exec(
      text,
    );
  if (m === null) return null;
  const octets = m.slice(1).map((o) => o.toLowerCase());
  const first = Number.parseInt(octets[0] ?? "0", 16);
  // multicast (and broadcast) addresses cannot be a port's address; all-zero neither
  if ((first & 1) === 1 || octets.every((o) => o === "00")) return null;
  return octets.join(":");
}

/** A MAC under `base` (`fa:16:3e`) with three random octets. */
export function generateMac(base: string, random: Uint8Array): string {
  const tail = Array.from(random.slice(0, 3), (b) => b.toString(16).padStart(2, "0"));
  return [base, ...tail].join(":");
}
