import { sampleBucket } from '../packages/sdk/src/sample'

/** A user id inside (or outside) a cancel flow's holdout, decided as the SDK decides it. */
export function holdoutUser(cancelFlow: { id: string; holdout?: number }, inHoldout: boolean): string {
  for (let i = 0; ; i++) if (sampleBucket(`u:user-${i}`, cancelFlow.id) < (cancelFlow.holdout ?? 0) === inHoldout) return `user-${i}`
}
