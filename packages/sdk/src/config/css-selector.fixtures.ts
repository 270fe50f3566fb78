/**
 * Selectors people write in tour and trigger configs, labelled by what a browser's
 * querySelector does with them. css-selector.browser.test.ts checks the labels against Chromium.
 */
export const VALID_SELECTORS = [
  "[data-tour='reports-tab']",
  '[data-tour="export"]',
  '#cancel-subscription',
  '.btn.btn-primary',
  'button',
  '*',
  'nav > ul li + li ~ li',
  'a[href^="/reports"]',
  'a[href$=".pdf" i]',
  '[data-x]',
  '[ data-x = y ]',
  'input:not([type=hidden])',
  'li:nth-child(2n+1)',
  'ul li:nth-of-type(odd)',
  'p::first-line',
  'a:hover::before',
  ':root',
  'div:has(> img)',
  ':is(h1, h2):not(.hidden)',
  'section:not(:nth-child(2))',
  '.a, .b , #c',
  '#\\31 23',
  '.md\\:flex',
  '[data-linger-feature="export-pdf"]',
  '.été',
  '-x',
  '--y',
  ':where(.a:not(.b:is(.c)))',
  '[title="a)b"]',
]

export const INVALID_SELECTORS = [
  '',
  ' ',
  '#',
  '.',
  '.1a',
  '#1abc',
  'div >',
  '> div',
  'a,',
  ',a',
  'a,,b',
  'div:not(',
  'div)',
  '[data-x=1]',
  '[=x]',
  'a{}',
  'a;b',
  '<script>',
  'div!',
  'a b c]',
  '..a',
  '.a..b',
]

/**
 * Chromium closes an unterminated bracket or string at the end of a selector and matches
 * anyway; in a config that is nearly always a typo, so the validator rejects these too.
 */
export const UNTERMINATED_SELECTORS = ['[data-tour', "[data-tour='x]", 'div:not(.a']
