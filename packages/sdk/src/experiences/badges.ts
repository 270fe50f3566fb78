import { atom } from 'nanostores'
import type { ExperienceController, ExperienceHost } from './host'

// Placeholder until the badges experience lands (its issue replaces this file).
export function createBadges(host: ExperienceHost): ExperienceController {
  void host
  return { $needsUi: atom(false), dispose() {} }
}
