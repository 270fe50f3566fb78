import { describe, expect, test } from 'vitest'
import { isValidSelector, MAX_SELECTOR_LENGTH } from './css-selector'
import { INVALID_SELECTORS, UNTERMINATED_SELECTORS, VALID_SELECTORS } from './css-selector.fixtures'

describe('a tour target or trigger selector', () => {
  test.each(VALID_SELECTORS)('%s is accepted', (selector) => {
    expect(isValidSelector(selector)).toBe(true)
  })

  test.each(INVALID_SELECTORS)('%j is rejected (querySelector would throw)', (selector) => {
    expect(isValidSelector(selector)).toBe(false)
  })

  test.each(UNTERMINATED_SELECTORS)('%s is rejected as a typo, though a browser would auto-close it', (selector) => {
    expect(isValidSelector(selector)).toBe(false)
  })

  test('an over-long selector is rejected without being parsed', () => {
    const long = `#${'a'.repeat(MAX_SELECTOR_LENGTH)}`
    expect(isValidSelector(long)).toBe(false)
    expect(isValidSelector(long.slice(0, MAX_SELECTOR_LENGTH))).toBe(true)
  })
})
