/** The verified user the running sync is for: the leaderboard asks the collector as them. */
export interface VerifiedUser {
  endpoint: string
  writeKey: string
  userId: string
  userHash: string
}

export const verified: { current?: VerifiedUser } = {}
