import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A tour the vendor triggers on Linger's own "Survey Answered". The user's click on the survey's
// Send (in Linger's shadow root) asked for no tour: the cooldown spaces it from the survey just
// shown, as it did before a window listener saw clicks inside Linger's own widgets.
// Sits beside surveys.browser.test.ts (packages/widgets/src/surveys/); build first.
const suite = useBrowserSuite({ pageErrors: 'each' })

describe('a user who answers a survey, a tour triggered by that answer', () => {
  it('is held by the cooldown: no tour tip takes the screen (and focus) straight after the survey', async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 2 },
      surveys: [{ id: 'csat', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, repeat: 'once' }],
      tours: [{ id: 'export-tour', trigger: { event: 'Survey Answered' }, steps: [{ id: 'a', target: '#t', title: 'Export from here', body: 'Your reports as CSV.' }] }],
    }
    const script = `${suite.initScript({ flows })} linger('identify', 'survey-then-tour'); linger.on('ready', () => linger.show('csat'));`
    const { page, context } = await suite.open('/survey-then-tour', suite.hostPage({ body: '<main><h1>Reports</h1><button id="t">Export</button></main>', script }))
    const card = page.locator('linger-survey [role="dialog"]')
    await card.waitFor()
    await card.getByRole('radio').last().click()
    await card.getByRole('button', { name: 'Send' }).click()
    // Once the screen is calm again after the survey: held, or shown.
    await expect.poll(() => page.evaluate(() => (window as any).linger.why('export-tour').reasons), { timeout: 5_000 }).toEqual(['cooldown'])
    expect(await page.locator('[role=dialog][data-placement]').count()).toBe(0)
    await context.close()
  })
})
