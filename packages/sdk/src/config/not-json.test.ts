import { describe, expect, test } from 'vitest'
import example from '../../../../test/fixtures/flows.json'
import { jsonErrorAt, notJson } from './not-json'

/** The reference document as a vendor's editor saves it, then damaged in `n` seeded ways. */
function damaged(n: number): string[] {
  const text = JSON.stringify(example, null, 2)
  let seed = 7
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed)
  const edits = [(t: string, at: number) => t.slice(0, at) + t.slice(at + 1), (t: string, at: number) => t.slice(0, at) + `,'}/"x\\u{`[next() % 9] + t.slice(at), (t: string, at: number) => t.slice(0, at)]
  return Array.from({ length: n }, () => edits[next() % edits.length](text, next() % text.length))
}

describe('where a broken flows text broke', () => {
  test('a text is broken exactly when JSON.parse refuses it, and where V8 names a place it is the same place', () => {
    let placed = 0
    for (const text of [...damaged(400), JSON.stringify(example), '', ' ', '"x"', '[1, 2]', '-0.5e+3', '{"a": "\\ud83d"}', '{"a": "\\x"}', '{"a": "\\u12G4"}', '{"a": "line\nbreak"}', '{"a": 01}', '{"a": 1.}', '[1,]', '{"a" 1}', 'tru', '{"a": -}']) {
      let parsed = true
      let position: number | undefined
      try {
        JSON.parse(text)
      } catch (e) {
        parsed = false
        const m = /position (\d+)/.exec(String((e as Error).message))
        position = m ? Number(m[1]) : undefined
      }
      const at = jsonErrorAt(text)
      expect([text, at === undefined]).toEqual([text, parsed])
      if (position !== undefined) {
        placed++
        expect([text, at]).toEqual([text, position])
      }
    }
    expect(placed).toBeGreaterThan(50)
  })

  test('an HTML page is called out as one, by its text or its content type', () => {
    expect(notJson('<!doctype html>')).toEqual({ reason: 'is an HTML page, not JSON (check the flows URL)' })
    expect(notJson('Not found', 'text/html')).toEqual({ reason: 'is an HTML page, not JSON (check the flows URL)' })
    expect(notJson('{\n  "a": 1\n  "b": 2\n}')).toEqual({ reason: 'is not valid JSON at line 3, column 3', at: { line: 3, column: 3 } })
  })

  test('nesting deeper than the stack gives up instead of throwing', () => {
    expect(() => jsonErrorAt('['.repeat(1_000_000))).not.toThrow()
  })
})
