// @vitest-environment jsdom
import { atom } from 'nanostores'
import { afterEach, expect, it, vi } from 'vitest'
import type { Linger } from '@linger/sdk'
import { buildPlatform } from './create-context'
import { messages as en } from './messages/en'

afterEach(() => (vi.useRealTimers(), vi.restoreAllMocks(), document.body.replaceChildren()))

// An app that remounts Linger (or calls destroy) while its own Settings box is open: the platform
// it took down was still looking at the page each second, and woke again at each focus move.
it("a platform taken down while the app's aria-modal Settings box is open stops looking at the page", () => {
  vi.useFakeTimers()
  const linger = { host: { options: {}, flows: atom({ version: 1 }), reportError: () => {} } } as unknown as Linger
  const platform = buildPlatform(linger, { locale: 'en' }, en, en)
  const box = document.createElement('div')
  box.setAttribute('aria-modal', 'true')
  box.innerHTML = '<button id="name">Name</button><button id="save">Save</button>'
  document.body.append(box)
  const looked = vi.spyOn(document, 'querySelectorAll')
  box.querySelector<HTMLElement>('#name')!.focus()
  vi.advanceTimersByTime(3000)
  // Alive, it does look (so this test can tell).
  expect(looked).toHaveBeenCalled()

  platform.dispose()
  looked.mockClear()
  vi.advanceTimersByTime(5000)
  box.querySelector<HTMLElement>('#save')!.focus()
  vi.advanceTimersByTime(5000)
  expect(looked).not.toHaveBeenCalled()
})
