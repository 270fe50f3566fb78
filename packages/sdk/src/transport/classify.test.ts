import { expect, it } from 'vitest'
import { classify } from './classify'

it('accepts any 2xx', () => {
  expect([200, 202, 204].map(classify)).toEqual(['ok', 'ok', 'ok'])
})

it('retries network errors, server errors, timeouts and rate limits', () => {
  expect([null, 500, 502, 503, 408, 429].map(classify)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry', 'retry'])
})

it('drops only what another 4xx rejects for good', () => {
  expect([400, 401, 403, 404, 413, 422].map(classify)).toEqual(['drop', 'drop', 'drop', 'drop', 'drop', 'drop'])
})

it('retries rather than loses on an answer it does not expect', () => {
  expect([0, 302].map(classify)).toEqual(['retry', 'retry'])
})
