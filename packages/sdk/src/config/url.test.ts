import { describe, expect, test } from 'vitest'
import { isHttpUrl, isSafeUrl } from './url'

describe('links from config', () => {
  test.each(['https://example.com/a', 'http://localhost:3000', 'HTTPS://EXAMPLE.COM', '#/projects/new', '/billing', '?tab=2', 'reports/1', './a:b', '//cdn.example.com/x'])(
    '%s may be used as a link',
    (url) => expect(isSafeUrl(url)).toBe(true),
  )

  test.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<b>', 'vbscript:x', 'mailto:a@b.c', 'https:evil.com', ''])(
    '%j may not',
    (url) => expect(isSafeUrl(url)).toBe(false),
  )

  test('an absolute http(s) URL is required where relative makes no sense', () => {
    expect(isHttpUrl('https://example.com/book-a-call')).toBe(true)
    expect(['/book-a-call', '//example.com', 'https://', 'ftp://example.com', 'https:// x'].filter(isHttpUrl)).toEqual([])
  })
})
