import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error the demo server is plain ESM (what `npm start` runs)
import { startDemo } from './server.mjs'

// The demo's offer endpoints over HTTP, as a customer with devtools open reaches them: the
// session is theirs, the userHash is in /api/me's answer, and they post whatever they like.
let demo: { url: string; close(): Promise<void> }
const dataDir = mkdtempSync(join(tmpdir(), 'linger-demo-offers-'))
beforeAll(async () => {
  demo = await startDemo({ port: 0, collectorPort: 0, dataDir })
}, 180_000)
afterAll(async () => {
  await demo?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function signIn(user: string) {
  const res = await fetch(`${demo.url}/api/me?user=${user}`)
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], me: await res.json() }
}
const post = (path: string, body: unknown, cookie = '') =>
  fetch(`${demo.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) })
const planOf = async (user: string) => (await signIn(user)).me.account.plan

describe('offers typed in devtools', () => {
  it('Dana, on her first day, gets the one save offer she asks for, and nothing stacked on it nor the yearly discount', async () => {
    const dana = await signIn('u_42')
    const ask = async (path: string, body: Record<string, unknown>) => {
      const res = await post(path, { userHash: dana.me.userHash, ...body }, dana.cookie)
      return [res.status, (await res.json()).error ?? 'applied']
    }
    expect(await ask('/api/offers/apply', { offerId: 'discount-30', reasonId: 'too-expensive' })).toEqual([200, 'applied'])
    expect(await ask('/api/offers/apply', { offerId: 'pause-2', months: 2, reasonId: 'not-using' })).toEqual([409, 'an offer (discount-30) was already applied this billing period'])
    expect(await ask('/api/offers/apply', { offerId: 'downgrade' })).toEqual([409, 'an offer (discount-30) was already applied this billing period'])
    expect(await ask('/api/billing/plan-change', { offerId: 'go-annual' })).toEqual([409, 'the yearly offer comes after 1 month on the plan'])
    expect((await planOf('u_42')).note).toBe('30% off for 3 months.')
  })

  it('Sam, who paused on his own from the billing page, still gets the discount when he cancels', async () => {
    const sam = await signIn('u_7')
    const ask = (body: Record<string, unknown>) => post('/api/offers/apply', { userHash: sam.me.userHash, ...body }, sam.cookie)
    expect((await ask({ offerId: 'pause-anytime', months: 1 })).status).toBe(200)
    const discount = await ask({ offerId: 'discount-30', reasonId: 'too-expensive' })
    expect([discount.status, (await discount.json()).error ?? 'applied']).toEqual([200, 'applied'])
    expect((await planOf('u_7')).note).toBe('30% off for 3 months.')
  })
})
