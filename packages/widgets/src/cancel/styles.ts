// Logical properties throughout, so the dialog mirrors itself in RTL locales. A word longer than
// a 320 px line (a German compound in the vendor's title) breaks: unbroken, it widened the title
// and pushed the close button out of sight. The dialog is at most as tall as the backdrop (what is
// on screen) and scrolls inside: `100vh` on a phone is the viewport with the browser's toolbar
// hidden, and a dialog that tall had its buttons under the toolbar.
export default '.backdrop{position:fixed;inset:0;display:flex;align-items:center;justify-content:center;padding:16px;background:var(--linger-overlay)}' +
  '.dialog{width:min(480px,100%);max-height:100%;overflow:auto;padding:20px 24px;overflow-wrap:anywhere}' +
  '.head{display:flex;align-items:flex-start;gap:12px;margin-block-end:8px}' +
  'h2{flex:1;margin:0;padding-block-start:4px;font-size:19px;line-height:1.3}' +
  '[tabindex="-1"]:focus{outline:none}' +
  'p{margin:8px 0}' +
  'ul.value{margin:12px 0;padding-inline-start:20px}' +
  'ul.value li{margin-block:4px}' +
  '.reasons{display:grid;gap:6px;margin-block:12px}' +
  '.reason{display:flex;align-items:center;gap:10px;padding:8px 10px;border:1px solid var(--linger-border);border-radius:calc(var(--linger-radius) * .66);cursor:pointer}' +
  '.reason:has(input:checked){border-color:var(--linger-accent)}' +
  '.reason input{margin:0;accent-color:var(--linger-accent)}' +
  'label.comment{display:block;margin-block:12px 4px;font-weight:600}' +
  'textarea{display:block;width:100%;min-height:72px;padding:8px;border:1px solid var(--linger-border);border-radius:calc(var(--linger-radius) * .66);background:var(--linger-bg);resize:vertical}' +
  '.actions{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px;margin-block-start:16px}' +
  '.linger-btn[disabled]{opacity:.55;cursor:not-allowed}' +
  '.danger{background:var(--linger-danger);border-color:var(--linger-danger);color:var(--linger-bg)}' +
  '.error{color:var(--linger-danger);font-weight:600}' +
  '.progress{display:flex;align-items:center;gap:10px}' +
  '.spinner{width:20px;height:20px;border:3px solid var(--linger-border);border-block-start-color:var(--linger-accent);border-radius:50%;animation:spin 1s linear infinite}' +
  '@keyframes spin{to{transform:rotate(360deg)}}'
