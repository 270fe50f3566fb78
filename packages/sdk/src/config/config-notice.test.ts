import { describe, expect, it } from 'vitest'
import { createLinger } from '../client'
import { createFakePlatform } from '../fake-platform'

const good = { id: 'getting-started', title: 'Start', tasks: [{ id: 'create-project', title: 'Create', doneWhen: { event: 'Project Created' } }] }
const badSurvey = { id: 'csat', kind: 'csat', question: 'Happy?', scale: 11, trigger: { event: 'Report Exported' } }

async function consoleOf(flows: object | string, options: Record<string, unknown> = {}, respond?: () => { status: number; body: string }) {
  const p = createFakePlatform()
  if (respond) p.respond = respond
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, ...options }, { platform: p })
  await linger.ready
  return p.logs.filter((l) => l[0] === 'warn').map((l) => String(l[1]))
}

describe('a vendor who ships a broken flows document without debug mode', () => {
  it('gets one console warning that counts the skipped experiences and says how to see why', async () => {
    const warnings = await consoleOf({ version: 1, checklists: [good], surveys: [badSurvey, { ...badSurvey, id: 'csat-2' }] })
    expect(warnings).toEqual([
      "2 of 3 experiences in your flows were skipped as invalid; the rest run. To see why, init with debug: true or listen with linger('on', 'error', console.warn).",
    ])
  })

  it('counts a broken cancel flow as a skipped experience too', async () => {
    const warnings = await consoleOf({ version: 1, checklists: [good], cancelFlow: { id: 'save', reasons: [] } })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^1 of 2 experiences in your flows was skipped/)
  })

  it('is told when a misspelt section (`tour`, `Checklists`) holds experiences that never run', async () => {
    const tour = { id: 'welcome', trigger: { event: 'Signed Up' }, steps: [{ id: 'a', title: 'Hi' }] }
    const warnings = await consoleOf({ version: 1, tour: [tour], Checklists: [good] })
    expect(warnings).toEqual([expect.stringMatching(/^2 of 2 experiences in your flows were skipped as invalid/)])
  })

  it('is told when a flows URL answers the document wrapped in an envelope (`{ "data": { … } }`), where nothing runs', async () => {
    const warnings = await consoleOf('/api/flows', {}, () => ({ status: 200, body: JSON.stringify({ data: { version: 1, checklists: [good] } }) }))
    expect(warnings).toEqual([expect.stringMatching(/^1 of 1 experience in your flows was skipped as invalid/)])
  })

  it('hears nothing when every experience is valid', async () => {
    expect(await consoleOf({ version: 1, checklists: [good] })).toEqual([])
  })

  it('is told where a flows URL broke as JSON, once', async () => {
    const warnings = await consoleOf('/flows.json', {}, () => ({ status: 200, body: '{\n  "version": 1\n  "tours": []\n}' }))
    expect(warnings).toEqual([
      "the flows document could not be used (flows from /flows.json is not valid JSON at line 3, column 3); no experience runs. To see why, init with debug: true or listen with linger('on', 'error', console.warn).",
    ])
  })

  it('is told, once, when the document says a version this release does not know (it is read as version 1)', async () => {
    expect(await consoleOf({ version: 2, checklists: [good] })).toEqual([
      `your flows say "version": 2, which this release does not know: read as version 1. To see why, init with debug: true or listen with linger('on', 'error', console.warn).`,
    ])
    expect(await consoleOf({ version: '1.0', checklists: [good], surveys: [badSurvey] })).toEqual([
      `your flows say "version": "1.0", which this release does not know: read as version 1; 1 of 2 experiences in your flows was skipped as invalid; the rest run. To see why, init with debug: true or listen with linger('on', 'error', console.warn).`,
    ])
  })

  it('in debug mode gets each problem on its own line instead of the summary', async () => {
    const warnings = await consoleOf({ version: 1, checklists: [good], surveys: [badSurvey] }, { debug: true })
    expect(warnings).toEqual([expect.stringMatching(/^invalid-config: surveys\[0\]\.scale: /)])
  })
})
