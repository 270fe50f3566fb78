import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../../../../test/browser'
import { INVALID_SELECTORS, VALID_SELECTORS } from './css-selector.fixtures'

// The unit tests trust these labels; Chromium's querySelector is what they stand for.
let browser: Browser
let page: Page
beforeAll(async () => {
  browser = await launchBrowser()
  page = await browser.newPage()
})
afterAll(() => browser?.close())

test('Chromium agrees with the selector fixtures: valid ones work, invalid ones throw', async () => {
  const verdicts = await page.evaluate(
    ([valid, invalid]) => {
      const works = (selector: string) => {
        try {
          document.querySelector(selector)
          return true
        } catch {
          return false
        }
      }
      return { validThatThrow: valid.filter((s) => !works(s)), invalidThatWork: invalid.filter(works) }
    },
    [VALID_SELECTORS, INVALID_SELECTORS] as const,
  )
  expect(verdicts).toEqual({ validThatThrow: [], invalidThatWork: [] })
})
