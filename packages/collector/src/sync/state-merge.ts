/**
 * One synced field as the collector stores it: `version` counts the writes the field has seen
 * (a device writes its last known version + 1), `at` (client ms) breaks a tie between two
 * devices that wrote the same version unaware of each other.
 */
export interface SyncedField {
  value: unknown;
  version: number;
  at: number;
}

/** Last writer wins per field: the higher version, then the later write. */
export function wins(incoming: Pick<SyncedField, 'version' | 'at'>, stored: Pick<SyncedField, 'version' | 'at'> | undefined): boolean {
  if (!stored) return true;
  return incoming.version > stored.version || (incoming.version === stored.version && incoming.at > stored.at);
}
