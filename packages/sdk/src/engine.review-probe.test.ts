import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'

async function start(flows: unknown, clock?: { now: number }) {
  const platform = createFakePlatform({ clock })
  const linger = createLinger({ key: 'pk_test', flows }, { platform })
  await linger.ready
  await platform.advance(0)
  return { platform, linger }
}

describe('review probe: URL-triggered survey and traits that arrive after load', () => {
  it('a survey triggered by the page the user is on shows once identify() brings them into its audience', async () => {
    const { platform, linger } = await start({
      version: 1,
      settings: { cooldownDays: 0 },
      surveys: [{ id: 'pro-nps', kind: 'nps', question: 'Recommend us?', trigger: { url: '/dashboard*' }, audience: { trait: 'plan', eq: 'pro' } }],
    })
    // The app resolves its session and identifies the user a moment after Linger started.
    linger.identify('u_1', { plan: 'pro' })
    await platform.advance(1000)
    expect(linger.experiences.surveys!.$session.get()?.survey.id).toBe('pro-nps')
  })
})
