import { describe, expect, it } from 'vitest'
import { safeHref } from './safe-url'

describe('safeHref', () => {
  const base = 'https://app.example.com/dashboard'
  it('keeps http(s) and relative links', () => {
    expect(['https://x.io/a', 'http://x.io', '#/projects/new', '/settings', 'help'].map((u) => safeHref(u, base))).toEqual(['https://x.io/a', 'http://x.io', '#/projects/new', '/settings', 'help'])
  })
  it('drops script, data and other schemes, however they are spelled', () => {
    expect(['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>', 'vbscript:x', 'mailto:a@b.c', '', 42].map((u) => safeHref(u, base))).toEqual(Array(8).fill(undefined))
  })
})
