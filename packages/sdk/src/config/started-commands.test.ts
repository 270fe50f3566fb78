import { describe, expect, it } from 'vitest'
import { createLinger } from '../client'
import { createFakePlatform } from '../fake-platform'

/** A vendor's page: Linger started on `flows`, every error it hears kept as `code: message`. */
async function page(flows: object) {
  const platform = createFakePlatform()
  const linger = createLinger({ key: 'pk_test', endpoint: '', flows }, { platform })
  const errors: string[] = []
  linger.on('error', (e: { code: string; message: string }) => errors.push(`${e.code}: ${e.message}`))
  await linger.ready
  await platform.advance(0)
  return { linger, platform, errors }
}

describe('the vendor\'s "Show acme-3" button while a survey holds the screen', () => {
  const flows = {
    version: 1,
    settings: { cooldownDays: 0 },
    surveys: [{ id: 'nps-quarterly', kind: 'nps', question: 'How likely are you to recommend us?' }],
    // For accounts two weeks old: show(id) skips the audience, so a new account is no reason it did not open.
    announcements: [{ id: 'acme-3', format: 'modal', title: 'Acme 3.0', body: 'A faster editor.', audience: { daysSince: 'createdAt', gte: 14 } }],
  }

  it('hears false and why() names the survey in the way; once the survey is closed the same button opens the modal', async () => {
    const { linger, platform, errors } = await page(flows)
    expect(linger.show('nps-quarterly')).toBe(true)
    expect(linger.show('acme-3')).toBe(false)
    expect(linger.experiences.announcements!.$modal.get()).toBeNull()
    expect(linger.why('acme-3').reasons).toEqual(['blocked-by:nps-quarterly'])
    // Held off, not unknown: the vendor's error monitoring hears nothing.
    expect(errors).toEqual([])
    linger.experiences.surveys!.close()
    await platform.advance(0)
    expect(linger.show('acme-3')).toBe(true)
    expect(linger.experiences.announcements!.$modal.get()?.id).toBe('acme-3')
    linger.destroy()
  })
})

describe('a cancel flow held off by its own pause offer on screen', () => {
  const flows = {
    version: 1,
    settings: { cooldownDays: 0 },
    cancelFlow: {
      id: 'save-offer',
      reasons: [{ id: 'not-using', label: 'Not using it enough', offer: 'pause-anytime' }],
      offers: [{ id: 'pause-anytime', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }],
    },
  }

  it('answers false to show() and cancel() with no "unknown-experience" error to the vendor\'s monitoring; why() says what is in the way', async () => {
    const { linger, errors } = await page(flows)
    expect(linger.show('pause-anytime')).toBe(true)
    expect(linger.show('save-offer')).toBe(false)
    linger.cancel()
    expect(linger.why('save-offer').reasons).toEqual(['blocked-by:pause-anytime'])
    expect(linger.experiences.cancel!.$state.get()).toMatchObject({ step: 'offer', standalone: true, offerId: 'pause-anytime' })
    expect(errors).toEqual([])
    // An id no flow has is still reported, once per call.
    expect(linger.show('save-ofer')).toBe(false)
    expect(errors).toEqual(['unknown-experience: show("save-ofer"): no experience with that id'])
    linger.destroy()
  })
})
