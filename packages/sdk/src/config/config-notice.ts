import type { LingerError } from '../events'

const HOW = "To see why, init with debug: true or listen with linger('on', 'error', console.warn)."

/**
 * The one console line a vendor gets without debug mode: a broken flows document must not fail
 * silently in production, but neither may it spam the host's console once per problem.
 */
export function configNotice(load: LingerError | undefined, counted: { skipped: number; total: number }): string | undefined {
  if (load) return `the flows document could not be used (${load.message}); no experience runs. ${HOW}`
  if (!counted.skipped) return undefined
  const { skipped, total } = counted
  return `${skipped} of ${total} experience${total === 1 ? '' : 's'} in your flows ${skipped === 1 ? 'was' : 'were'} skipped as invalid; the rest run. ${HOW}`
}
