import type { Linger } from '@linger/sdk'

export interface MountOptions {
  /** Where widget hosts are attached; document.body by default. */
  container?: HTMLElement
}

/**
 * Placeholder until the widgets platform lands (issue 3 replaces this): it will watch the
 * experiences' atoms and load each widget's UI on first need.
 */
export function mountWidgets(linger: Linger, options: MountOptions = {}): () => void {
  void linger
  void options
  return () => {}
}
