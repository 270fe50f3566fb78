import type { LingerError } from '../events'
import { describe } from './format-error'

// Loaded with this chunk for the same broken documents (load-flows.ts).
export { notJson } from './not-json'

const HOW = "To see why, init with debug: true or listen with linger('on', 'error', console.warn)."

/**
 * The one console line a vendor gets without debug mode: a broken flows document must not fail
 * silently in production, but neither may it spam the host's console once per problem. `raw` is
 * the document as loaded.
 */
export function configNotice(load: LingerError | undefined, { skipped, total }: { skipped: number; total: number }, raw?: unknown): string | undefined {
  if (load) return `the flows document could not be used (${load.message}); no experience runs. ${HOW}`
  const version = (raw as { version?: unknown } | undefined)?.version ?? 1
  const said = [
    version !== 1 && `your flows say "version": ${describe(version)}, which this release does not know: read as version 1`,
    skipped && `${skipped} of ${total} experience${total === 1 ? '' : 's'} in your flows ${skipped === 1 ? 'was' : 'were'} skipped as invalid; the rest run`,
  ].filter(Boolean)
  return said.length ? `${said.join('; ')}. ${HOW}` : undefined
}
