import { afterEach, expect, test } from 'vitest'
import example from '../../../../test/fixtures/flows.json'
import { validateFlows } from './validate-flows'
import { withPlainPrototypes } from './plain-prototypes'

const proto = Object.prototype as Record<string, unknown>
afterEach(() => {
  delete proto.extend
  delete (Array.prototype as unknown as Record<string, unknown>).each
})

test('a page that added enumerable methods to Object and Array prototypes still gets its flows validated', () => {
  proto.extend = function () {}
  ;(Array.prototype as unknown as Record<string, unknown>).each = function () {}
  const { flows, errors } = validateFlows(example)
  expect(errors).toEqual([])
  expect(flows.surveys).toHaveLength(4)
  // …and gets them back exactly as they were: still there, still enumerable.
  expect(Object.getOwnPropertyDescriptor(Object.prototype, 'extend')?.enumerable).toBe(true)
  expect(Object.keys(Array.prototype)).toEqual(['each'])
})

test('prototypes are restored even when the work throws', () => {
  proto.extend = function () {}
  expect(() =>
    withPlainPrototypes(() => {
      expect(Object.keys(Object.prototype)).toEqual([])
      throw new Error('boom')
    }),
  ).toThrow('boom')
  expect(Object.keys(Object.prototype)).toEqual(['extend'])
})
