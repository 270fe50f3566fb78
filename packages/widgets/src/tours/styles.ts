/**
 * How far a beacon's pulse ring spreads past the beacon: its 24 px box (the least target WCAG 2.5.8
 * asks for: at 20 px a search box 11 px below it was too near) scaled 2 times (the keyframes below)
 * is 48 px, 12 px past each side. At 320 px the beacon kept 8 px from the edge
 * and the ring was cut off there; anchor() keeps this much more room.
 */
export const PULSE_REACH = 14

// Tooltip, beacon and spotlight, all `position: fixed` in the tours surface; anchor() sets left/top.
// Opacity (not visibility) hides a tooltip until it is placed, so it can take focus at once.
// Tips and the spotlight's shade sit above every beacon (z-index), whichever run changed last
// and so comes last in the DOM.
// A long link or word in the vendor's text wraps (anywhere): it left the tip's text behind a
// sideways scroll at 320 px. The tip itself never scrolls: its arrow pokes out of it towards the target, and a scrolling tip
// clipped it away (and could be wheeled by the arrow's overflow). Its `.in` scrolls instead, within
// the max-height anchor() and centre() set: a flex column's child shrinks to it.
// The title is bold as any h2 is.
export default '.tip{position:fixed;left:0;top:0;width:max-content;max-width:min(320px,calc(100vw - 16px));display:flex;flex-direction:column;opacity:0;z-index:1;overflow-wrap:anywhere}' +
  '.in{min-height:0;overflow:auto;padding:14px 16px}' +
  '.tip[data-sheet] .arrow{display:none}' +
  '.hint{position:fixed;bottom:16px;inset-inline-start:16px;width:min(320px,calc(100vw - 32px));max-height:var(--linger-room,50vh);overflow:auto;padding:12px 16px;overflow-wrap:anywhere}' +
  '.hint h2{margin:0;font-size:1em}.hint p{margin:4px 0 0}.kicker{color:var(--linger-muted);font-size:.85em}' +
  '.tip[data-placement],.tip.centered{opacity:1}' +
  // Shown again at once (anchor() hides one whose target is out of sight): a transition, even the
  // 1 ms that reduced motion leaves (base-css.ts), keeps it hidden and unable to take focus back.
  '.tip,.beacon{transition:none}' +
  // centre() sets left, top and max-height: only the text scrolls, so Next and × stay in reach.
  '.tip.centered{left:50%;top:50%;transform:translate(-50%,-50%)}.centered .in{display:flex;flex-direction:column}.centered p{overflow:auto}' +
  '.tip h2{margin:0;padding-inline-end:28px;font-size:1.05em}' +
  '.tip p{margin:6px 0 0}' +
  '.close{position:absolute;top:6px;inset-inline-end:6px}' +
  '.foot{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:12px}' +
  '.progress{margin-inline-end:auto;color:var(--linger-muted);font-size:.9em}' +
  '.arrow{position:absolute;width:12px;height:12px;background:var(--linger-bg);transform:rotate(45deg)}' +
  '.spot{position:fixed;border-radius:8px;box-shadow:0 0 0 200vmax var(--linger-overlay);pointer-events:none;z-index:1}' +
  '.spot:not([style]){display:none}' +
  '.beacon{position:fixed;left:0;top:0;width:24px;height:24px;padding:0;border:3px solid var(--linger-bg);border-radius:50%;background:var(--linger-accent);box-shadow:var(--linger-shadow)}' +
  '.beacon:not([style]){opacity:0}' +
  '.beacon::after{content:"";position:absolute;inset:-3px;border-radius:50%;border:2px solid var(--linger-accent);animation:pulse 1.6s ease-out infinite}' +
  '@keyframes pulse{from{transform:scale(1);opacity:.9}to{transform:scale(2);opacity:0}}' +
  '@media (prefers-reduced-motion:reduce){.beacon::after{animation:none;opacity:.5}}'
