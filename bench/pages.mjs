// The host pages the runtime benches load. Every page marks `bench:start` in its first script
// and `bench:ready` when its SDK says it is ready (READY), and exposes the SDK as `window.__sdk`
// with the same two members, so each measurement is written once for all of them.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

const BODY = '<main><h1>Host app</h1><button id="bench-target">Target</button> <button id="bench-cancel">Cancel subscription</button></main>'
const TRAITS = { plan: 'pro', seats: 5, createdAt: '2026-01-05' }
const START = `<script>performance.mark('bench:start')</script>`
/**
 * What a page runs when its SDK is ready: the mark the trace is cut at, and a console line the
 * bench waits for. Waiting with Playwright's waitForFunction would inject its utility script
 * (~30 ms of compile and run on the page's main thread) and poll on every frame inside the
 * measured window, charging an SDK for the harness, more the later its ready comes.
 */
export const READY = `performance.mark('bench:ready'); console.debug('bench:ready')`
const html = (head, body = BODY) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>${START}${head}</head><body>${body}</body></html>`

/**
 * The cost of loading a module script at all: the baseline every SDK's time to ready is set
 * against. Its `track()` does nothing, the baseline of the per-call costs.
 */
export const emptyPage = () => html(`<script type="module" src="/bench/empty.js"></script>`)
export const EMPTY_JS = `window.__sdk = { track() {}, ready: Promise.resolve() }; ${READY}`

/**
 * The host page's body with `nodes` more elements after the app's (a list of cards, 4 elements
 * each): an app's page has thousands, and whatever walks or lays out the page costs by them.
 */
export const bodyWith = (nodes) => BODY.replace('</main>', `${'<div class="card"><h3>Item</h3><p>Text <a href="#">link</a></p></div>'.repeat(Math.ceil(nodes / 4))}</main>`)

/** Linger as a vendor installs it: the snippet, then init and identify in the vendor's script. */
export async function lingerPage(cdnDir, server, flowsPath, init = {}, body = BODY) {
  const snippet = await readFile(join(cdnDir, 'snippet.html'), 'utf8')
  const options = { key: 'pk_bench', endpoint: server, flows: flowsPath, ...init }
  return html(
    `${snippet}<script>
    linger('init', ${JSON.stringify(options)});
    linger('identify', 'u_bench', ${JSON.stringify(TRAITS)});
    window.__errors = [];
    linger('on', 'error', function (e) { window.__errors.push(e.code + ': ' + e.message) });
    window.__sdk = {
      track: function (n, p) { window.linger.track(n, p) },
      ready: new Promise(function (r) { linger('on', 'ready', r) }).then(function () { ${READY} }),
    };
  </script>`,
    body,
  )
}

/** posthog-js slim with the surveys extension, as its docs set it up, talking to the stub. */
export const posthogPage = (server) =>
  html(`<script type="module" src="/comp/posthog-surveys/entry.js"></script><script type="module">
    const { posthog, extensions } = window.__bench;
    let loaded;
    window.__sdk = { track: (n, p) => posthog.capture(n, p), ready: new Promise((r) => (loaded = r)).then(() => { ${READY} }) };
    posthog.init('phc_bench', { api_host: ${JSON.stringify(server)}, __extensionClasses: { ...extensions },
      // Its client-side rate limit (10/s, bursts of 100) would drop most calls: lifted, so it does the same work.
      rate_limiting: { events_per_second: 1e6, events_burst_limit: 1e7 },
      // By default it drops every event from a HeadlessChrome user agent as bot traffic (before
      // any real work): off, so it processes and sends what it is given, as for a real user.
      opt_out_useragent_filter: true, loaded: () => loaded() });
    posthog.identify('u_bench', ${JSON.stringify(TRAITS)});
  </script>`)

/** Segment's analytics-next with its settings given inline (no CDN fetch), sending to the stub. */
export const segmentPage = (server) =>
  html(`<script type="module" src="/comp/segment/entry.js"></script><script type="module">
    const { AnalyticsBrowser } = window.__bench;
    const host = ${JSON.stringify(server.replace(/^http:\/\//, ''))};
    const browser = AnalyticsBrowser.load({ writeKey: 'wk_bench', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'wk_bench', apiHost: host + '/v1', protocol: 'http' } } } });
    browser.identify('u_bench', ${JSON.stringify(TRAITS)});
    let analytics;
    window.__sdk = { track: (n, p) => analytics.track(n, p), ready: browser.then(([a]) => { analytics = a; ${READY} }) };
  </script>`)
