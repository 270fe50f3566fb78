import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../../test/harness'

// A browser set to Chinese (Taiwan), no locale option: the widgets load the Traditional catalog's
// own chunk. Build first (see the brief in README: LINGER_CDN_DIR).
const suite = useBrowserSuite({ pageErrors: 'each' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  checklists: [{ id: 'start', title: '開始使用', tasks: [{ id: 'a', title: '建立專案', doneWhen: { event: 'Project Created' } }] }],
}

describe('Chinese as Taiwan writes it', () => {
  it('a user in Taiwan finishing a checklist reads "你已完成「開始使用」。" and "關閉清單", not the Simplified "关闭清单"', async () => {
    const script = `${suite.initScript({ flows })} linger('identify', 'tw-1'); linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ locale: 'zh-TW', viewport: { width: 800, height: 700 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/zh-tw', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-checklist .launcher button.pill').click()
    await page.locator('linger-checklist h2').waitFor()
    // Marked as Taiwan's Chinese, so the browser draws it with Traditional glyphs and reads it as such.
    expect(await page.locator('linger-checklist').getAttribute('lang')).toBe('zh-TW')
    await expect.poll(() => page.locator('linger-checklist').getByRole('button', { name: '關閉清單' }).count()).toBe(1)
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await expect.poll(() => page.locator('linger-checklist .done-box > span').textContent()).toBe('你已完成「開始使用」。')
    await context.close()
  })
})
