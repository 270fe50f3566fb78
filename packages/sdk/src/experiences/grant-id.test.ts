import { describe, expect, it } from 'vitest'
import { grantMessageId } from './grant-id'
import type { ExperienceHost } from './host'

const hostOf = (key: string | undefined, userKey: string) => ({ options: { key }, user: { get: () => ({ userKey }) } }) as unknown as ExperienceHost

describe('grant messageIds', () => {
  it('a badge earned on a device still on the release before gets the same messageId as here, so the collector keeps one', () => {
    // What the release before sent for these grants: a changed id would be a second grant to the collector.
    expect(grantMessageId(hostOf('pk_live_1', 'u:u_42'), 'badge:first-project')).toBe('8eb32281-e69d-549f-8c5a-fc877f08af07')
    expect(grantMessageId(hostOf('pk_live_1', 'u:u_43'), 'badge:first-project')).toBe('01cc3f27-e07b-52d7-8c28-fbcc4db13e66')
    expect(grantMessageId(hostOf(undefined, 'v:3f2a'), 'checklist:onboarding:invite')).toBe('365dc139-aec7-53f1-85d7-27a03c43b28b')
  })
})
