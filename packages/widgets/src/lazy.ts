import type { WidgetRender } from './platform/context'

/** A widget's UI chunk: its render, and the CSS of its main surface (parsed at idle, ahead of it). */
export interface View {
  render: WidgetRender
  css?: string
}

/**
 * Each experience's UI is its own chunk, loaded the first time its controller's `$needsUi`
 * turns true. Keys match `linger.experiences`.
 */
export const widgetLoaders: Record<string, () => Promise<View>> = {
  checklists: () => import('./checklist/view'),
  badges: () => import('./badges/view'),
  tours: () => import('./tours/view'),
  surveys: () => import('./surveys/view'),
  cancel: () => import('./cancel/view'),
  reviews: () => import('./reviews/view'),
  announcements: () => import('./announcements/view'),
  billing: () => import('./billing/view'),
}
