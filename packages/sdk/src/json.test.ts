import { afterEach, expect, it } from 'vitest'
import { fromJson, toJson } from './json'

const proto = Array.prototype as unknown as Record<string, unknown>
const objectProto = Object.prototype as unknown as Record<string, unknown>
const realStringify = JSON.stringify
const realParse = JSON.parse
afterEach(() => {
  delete proto.toJSON
  delete objectProto.toJSON
  JSON.stringify = realStringify
  JSON.parse = realParse
})

const data = { tags: ['a', 'b'], nested: { list: [1, 2, { deep: true }] }, at: new Date(Date.UTC(2026, 0, 2)), gone: undefined }

it('writes arrays and objects as JSON even when the page gave them a toJSON (Prototype.js)', () => {
  Object.defineProperty(Array.prototype, 'toJSON', { value: function (this: unknown[]) { return `[${this.join(',')}]` }, configurable: true, writable: true })
  Object.defineProperty(Object.prototype, 'toJSON', { value: () => '[object Object]', configurable: true, writable: true })
  expect(realStringify(data)).toBe('"[object Object]"')
  const text = toJson(data)
  delete proto.toJSON
  delete objectProto.toJSON
  expect(realParse(text)).toEqual({ tags: ['a', 'b'], nested: { list: [1, 2, { deep: true }] }, at: '2026-01-02T00:00:00.000Z' })
})

it('keeps working after the page replaced JSON.stringify and JSON.parse', () => {
  JSON.stringify = () => {
    throw new Error('blocked')
  }
  JSON.parse = () => null
  expect(fromJson(toJson({ a: [1] }))).toEqual({ a: [1] })
})
