/**
 * For `locator.evaluate`: whether the character ending the element's text (a full stop, a
 * question mark) is drawn right of the one before it, as English reads, measured on the screen
 * with a Range. In a right-to-left page, vendor text that is not isolated has its last mark thrown
 * to the front ("?Ready to connect Slack").
 */
export const endsAfterItsWord = (el: Element) => {
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
  let text = walk.nextNode() as Text
  while (walk.nextNode()) text = walk.currentNode as Text
  const x = (i: number) => {
    const r = document.createRange()
    r.setStart(text, i)
    r.setEnd(text, i + 1)
    return r.getBoundingClientRect().x
  }
  const end = text.data.length - 1
  return x(end) > x(end - 1)
}
