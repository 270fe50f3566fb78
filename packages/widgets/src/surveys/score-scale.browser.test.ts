import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A user who cannot tell two hues apart (colour blindness, a grey screen, Windows High Contrast)
// still sees which score they are about to send.
const surveys = [
  { id: 'stars', kind: 'csat', question: 'How satisfied are you?', display: 'stars', scale: 5 },
  { id: 'nps', kind: 'nps', question: 'How likely are you to recommend Acme?' },
]

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(path: string, survey: string, forcedColors: 'active' | 'none' = 'none') {
  const script = `${suite.initScript({ flows: { settings: { cooldownDays: 0 }, surveys } })}
    linger('identify', ${JSON.stringify(path)});
    linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 720 } })
  const { page } = await suite.open(`/${path}`, suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
  await page.emulateMedia({ forcedColors })
  await page.waitForFunction(() => (window as any).lingerReady === true)
  await page.evaluate((id) => (window as any).linger.show(id), survey)
  const card = page.locator('linger-survey [role=dialog]')
  await card.waitFor()
  return { page, card }
}

/** The background each score option is drawn with. */
const fills = (card: Locator) => card.getByRole('radio').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor))

describe('a star rating', () => {
  it('shows the stars up to the chosen one filled and the rest outlined, a difference of shape and not only of colour', async () => {
    const { page, card } = await open('stars-shape', 'stars')
    await card.getByRole('radio').nth(2).click()
    await page.mouse.move(0, 0)
    expect((await card.getByRole('radio').allTextContents()).join('')).toBe('★★★☆☆')
    await page.context().close()
  })
})

describe('in forced colours (Windows High Contrast)', () => {
  it('the NPS score the user picked is filled with the system highlight, unlike the other scores', async () => {
    const { page, card } = await open('nps-forced', 'nps', 'active')
    await card.getByRole('radio', { name: '7' }).click()
    await page.mouse.move(0, 0)
    const [others, picked] = await fills(card).then((f) => [f.filter((_, i) => i !== 7), f[7]])
    expect(others).not.toContain(picked)
    await page.context().close()
  })

  it('the picked star is filled with the system highlight too', async () => {
    const { page, card } = await open('stars-forced', 'stars', 'active')
    await card.getByRole('radio').nth(2).click()
    await page.mouse.move(0, 0)
    const [others, picked] = await fills(card).then((f) => [f.filter((_, i) => i !== 2), f[2]])
    expect(others).not.toContain(picked)
    await page.context().close()
  })
})
