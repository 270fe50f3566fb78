import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** One control of the app's Settings box: a heading, a field (named by `label`) or a button. */
export type SettingsControl = { tag: 'h2' | 'input' | 'button'; id?: string; text?: string; label?: string; style?: string }

export const HEADING: SettingsControl = { tag: 'h2', text: 'Settings' }
export const NAME: SettingsControl = { tag: 'input', id: 'name', label: 'Name' }
export const SAVE: SettingsControl = { tag: 'button', id: 'save', text: 'Save' }
/** Save filling the box's bottom right, where a corner survey card sits. */
export const CORNER_SAVE: SettingsControl = { ...SAVE, style: 'position:absolute;right:0;bottom:0;width:60%;height:50%' }

const require = createRequire(import.meta.url)
const FOCUS_TRAP = ['tabbable/dist/index.umd.min.js', 'focus-trap/dist/focus-trap.umd.min.js'].map((f) => readFileSync(require.resolve(f), 'utf8')).join('\n')

/**
 * A page script defining `openSettings()`: a SaaS app's Settings box as React and Vue modal
 * libraries draw it (no <dialog>, a full-screen box marked aria-modal, #settings) holding
 * `controls`, then `keep` run with the box (`box`) in the page.
 */
export function settingsBox(controls: readonly SettingsControl[], keep: string): string {
  return `
  window.openSettings = () => {
    const box = document.createElement('div');
    box.id = 'settings';
    box.setAttribute('role', 'dialog'); box.setAttribute('aria-modal', 'true');
    box.style.cssText = 'position:fixed;inset:0;background:#fff;z-index:1000';
    for (const { tag, id, text, label, style } of ${JSON.stringify(controls)}) {
      const el = document.createElement(tag);
      if (id) el.id = id;
      if (label) el.setAttribute('aria-label', label);
      if (text) el.textContent = text;
      if (tag === 'button') el.type = 'button';
      if (style) el.setAttribute('style', style);
      box.append(el);
    }
    document.body.append(box);
    ${keep}
  };`
}

/**
 * The Settings box kept by the real focus-trap package (what many of those libraries use
 * underneath): clicks outside it refused, focus pulled back into it, Tab kept in it, Escape lets
 * go of it (`window.settingsTrap`), and the app then takes the box out of the page. The script
 * carries the package.
 */
export const focusTrappedSettings = (controls: readonly SettingsControl[]) =>
  `${FOCUS_TRAP};${settingsBox(controls, 'window.settingsTrap = focusTrap.createFocusTrap(box, { onDeactivate: () => box.remove() }).activate();')}`
