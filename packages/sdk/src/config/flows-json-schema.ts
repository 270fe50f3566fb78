import * as z from 'zod/mini'
import { flowsSchema, triggerSchema } from './flows-document'
import { ruleSchema } from './rule-schema'

/**
 * The JSON Schema of a flows document, for editors (`"$schema": "./flows.schema.json"`).
 * Build-time only (`npm run schema`): nothing in the browser imports this. Checks that JSON
 * Schema cannot express (CSS selector syntax, safe URLs, references between experiences) are
 * left to validateFlows.
 */
export function flowsJsonSchema(): Record<string, unknown> {
  // Named definitions instead of generated ones, so editors show "Rule" in hovers and errors.
  const metadata = z.registry<{ id: string }>()
  metadata.add(ruleSchema, { id: 'Rule' })
  metadata.add(triggerSchema, { id: 'Trigger' })
  return {
    ...z.toJSONSchema(flowsSchema, { io: 'input', target: 'draft-2020-12', metadata }),
    title: 'Linger flows',
    description: 'Checklists, tours, badges, levels, surveys, the cancel flow and value reviews of a Linger install.',
  }
}
