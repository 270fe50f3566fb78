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
})
