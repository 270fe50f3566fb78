import { atom } from 'nanostores'
import type { ExperienceController, ExperienceHost } from './host'

// Placeholder until the checklist experience lands (its issue replaces this file).
export function createChecklists(host: ExperienceHost): ExperienceController {
  void host
  return { $needsUi: atom(false), dispose() {} }
}
