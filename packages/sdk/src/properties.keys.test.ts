import { describe, expect, it } from 'vitest'
import { cleanProperties, MAX_KEYS } from './properties'

// identify('eve', <10,000 trait names>) went out whole (each name then stored on the person for
// good, and listed in the vendor's segment filter): the byte cap keeps every key.
describe('a call with thousands of trait names', () => {
  it(`sends the first ${MAX_KEYS} and says how many it dropped, instead of all 10,000`, () => {
    const traits = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v']))
    const { value, problems } = cleanProperties(traits)
    expect(Object.keys(value)).toHaveLength(MAX_KEYS)
    expect(value[`k${MAX_KEYS - 1}`]).toBe('v')
    expect(value[`k${MAX_KEYS}`]).toBeUndefined()
    expect(problems).toEqual([`properties over ${MAX_KEYS} keys: ${10_000 - MAX_KEYS} dropped (k${MAX_KEYS}, k${MAX_KEYS + 1}, k${MAX_KEYS + 2}…)`])
  })

  it('leaves an ordinary identify with a few dozen traits, and nested data, as it is', () => {
    const traits = { ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, i])), prefs: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, true])) }
    const { value, problems } = cleanProperties(traits)
    expect(problems).toEqual([])
    expect(value).toEqual(traits)
  })
})
