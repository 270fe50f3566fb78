/**
 * One synced field as the collector stores it: `version` counts the writes the field has seen
 * (a device writes its last known version + 1), `at` (client ms) breaks a tie between two
 * devices that wrote the same version unaware of each other.
 *
 * Which copy wins (`wins`: the higher version, then the later write) and what is stored when a
 * device writes (`kept`: the winner, or for what must never be lost, such as a survey answered or
 * a list finished, the join of both copies as a new version) are the SDK's own code: a device
 * joins what it takes in with the same rule, and a device and the collector that disagreed
 * would write a field back and forth. The build bundles it (a relative import, no package).
 */
export { kept, wins, type Synced as SyncedField } from '../../../sdk/src/sync/merge.ts';
