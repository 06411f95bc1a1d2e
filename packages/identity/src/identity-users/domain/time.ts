/** Keystone's wire format for timestamps: oslo's `%Y-%m-%dT%H:%M:%S.%f` in UTC, without a zone. */

/** `2026-01-02T03:04:05.678000`: what oslo.serialization writes for a datetime. */
export function keystoneTime(at: Date): string {
  return `${at.toISOString().slice(0, 23)}000`;
}

/** `keystoneTime` of a nullable date (null stays null). */
export const keystoneTimeOrNull = (at: Date | null): string | null => (at === null ? null : keystoneTime(at));
