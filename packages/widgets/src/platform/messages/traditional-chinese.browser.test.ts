import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../../test/harness'
import { openOneTaskChecklist } from './one-task-checklist.fixture'

// A browser set to Chinese (Taiwan), no locale option: the widgets load the Traditional catalog's
// own chunk. Build first (see the brief in README: LINGER_CDN_DIR).
const suite = useBrowserSuite({ pageErrors: 'each' })

describe('Chinese as Taiwan writes it', () => {
  it('a user in Taiwan finishing a checklist reads "你已完成「開始使用」。" and "關閉清單", not the Simplified "关闭清单"', async () => {
    const { page, context, finished } = await openOneTaskChecklist(suite, { path: '/zh-tw', locale: 'zh-TW', title: '開始使用', task: '建立專案' })
    // Marked as Taiwan's Chinese, so the browser draws it with Traditional glyphs and reads it as such.
    expect(await page.locator('linger-checklist').getAttribute('lang')).toBe('zh-TW')
    await expect.poll(() => page.locator('linger-checklist').getByRole('button', { name: '關閉清單' }).count()).toBe(1)
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await expect.poll(() => finished.textContent()).toBe('你已完成「開始使用」。')
    await context.close()
  })

  it('a Cantonese speaker in Hong Kong (a browser set to `yue-HK`) reads the same Traditional Chinese, not English "Close checklist"', async () => {
    const { page, context, finished } = await openOneTaskChecklist(suite, { path: '/yue-hk', locale: 'yue-HK', title: '開始使用', task: '建立專案' })
    await expect.poll(() => page.locator('linger-checklist').getByRole('button', { name: '關閉清單' }).count()).toBe(1)
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await expect.poll(() => finished.textContent()).toBe('你已完成「開始使用」。')
    await context.close()
  })

  it('a Cantonese speaker whose browser asks only for `yue` is read Hong Kong\'s Chinese, as with `yue-HK`: surfaces marked zh-Hant-HK (a Cantonese voice), not Taiwan\'s zh-Hant (a Mandarin one)', async () => {
    for (const locale of ['yue', 'yue-HK']) {
      const { page, context } = await openOneTaskChecklist(suite, { path: `/${locale}-lang`, locale, title: '開始使用', task: '建立專案' })
      await expect.poll(() => page.locator('linger-checklist').getByRole('button', { name: '關閉清單' }).count()).toBe(1)
      expect(await page.locator('linger-checklist').getAttribute('lang'), locale).toBe('zh-Hant-HK')
      await context.close()
    }
  })

  it('an app in Taiwan that names its language as speech services do (`cmn-Hant-TW`, Mandarin) gets Traditional Chinese widgets marked zh-Hant-TW, not English ones marked as Mandarin', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, checklists: [{ id: 'start', title: '開始使用', tasks: [{ id: 'a', title: '建立專案', doneWhen: { event: 'Project Created' } }] }] }
    const script = `${suite.initScript({ flows, locale: 'cmn-Hant-TW' })} linger('identify', 'user-cmn'); linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ locale: 'en-US' })
    const { page } = await suite.open('/cmn-hant-tw', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-checklist .launcher button.pill').click()
    await expect.poll(() => page.locator('linger-checklist').getByRole('button', { name: '關閉清單' }).count()).toBe(1)
    expect(await page.locator('linger-checklist').getAttribute('lang')).toBe('zh-Hant-TW')
    await context.close()
  })
})
