import type { Linger } from '@linger/sdk'
import { createBadges } from '../../../sdk/src/experiences/badges'
import { createChecklists } from '../../../sdk/src/experiences/checklist'
import { createTestHost } from '../../../sdk/src/experiences/badges/test-host'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'
import { createTestContext } from '../platform/test-context'
import type { Catalog } from '../platform/i18n'

/** The real checklist and badges controllers on a test host, and a WidgetContext around them. */
export function setup(flows = exampleFlows, opts: { reducedMotion?: boolean; locale?: string; catalog?: Catalog } = {}) {
  const t = createTestHost(flows)
  const shown: string[] = []
  const experiences = { checklists: createChecklists(t.host), badges: createBadges(t.host) }
  const linger = {
    host: t.host,
    experiences,
    track: t.track,
    show(id: string) {
      shown.push(id)
      return experiences.badges.show?.(id) ?? false
    },
  } as unknown as Linger
  const ctx = createTestContext({ linger, ...opts })
  return { ...t, ctx, experiences, shown }
}
