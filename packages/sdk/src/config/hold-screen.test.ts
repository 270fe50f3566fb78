import { afterEach, describe, expect, it } from 'vitest'
import type { CoreHost } from '../engine'
import type { LingerError } from '../events'
import { holdScreen } from './hold-screen'

describe('experiences waiting for the widgets to arrive', () => {
  const rejections: unknown[] = []
  const onRejection = (e: unknown) => rejections.push(e)
  afterEach(() => void process.off('unhandledRejection', onRejection))

  it('all open once the widgets are in, even when one of them fails: the others are not lost, and nothing rejects into the page', async () => {
    process.on('unhandledRejection', onRejection)
    const errors: LingerError[] = []
    const host = { reportError: (e: LingerError) => errors.push(e) } as unknown as CoreHost
    let arrive!: () => void
    holdScreen(host, new Promise<void>((r) => (arrive = r)))
    const opened: string[] = []
    host.screen!.when(() => {
      throw new Error('a broken trigger')
    })
    host.screen!.when(() => opened.push('survey'))
    host.screen!.typing!(() => opened.push('tour'))
    arrive()
    await new Promise((r) => setTimeout(r, 10))
    expect(opened).toEqual(['survey', 'tour'])
    expect(rejections).toEqual([])
    expect(errors).toEqual([expect.objectContaining({ code: 'experience-failed', message: expect.stringContaining('a broken trigger') })])
  })
})
