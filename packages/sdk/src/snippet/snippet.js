// The vendor pastes this (minified, in dist/cdn/snippet.html). It queues every call with the
// time, page and DOM event it was made on, so the runtime can replay them as they happened.
;(function (w, d) {
  // Only a snippet or the runtime before it: an element with id="linger" is window.linger too
  // (above a snippet pasted late, by a tag manager), and Linger never loaded.
  if (typeof w.linger == 'function') return
  var q = []
  // Hosts waiting on flush() while the runtime loads: settled once it has flushed, or at once
  // if it cannot load (blocked), so no host waits forever.
  var f = []
  // The first init's arguments: its flows document is asked for (below) at once.
  var p
  var l = function (m, id) {
    // What a host reads from a call is there before the runtime is: flush() is a promise (awaited
    // before a navigation), why() a report (nothing shows while loading). Neither is queued.
    if (m === 'flush') return new Promise(function (r) { f.push(r) })
    if (m === 'why') return { id: id, show: false, reasons: ['loading'] }
    // At most 1,000 (the runtime's own queue), init first: a runtime an ad blocker stopped would
    // otherwise have a long-lived app keep every call, and the objects it passed, all day. Once the
    // runtime is in, a host that kept this stub is still heard (its push runs the call).
    if (q.length >= 1e3 && w.linger == l) return
    // Read when the runtime replays the call: a plain object the host changes meanwhile
    // (cart.items++, then track again) is copied so each call says what it said when made (its
    // top level: a deep walk could cost the page; class instances keep their own toJSON).
    var a = [].map.call(arguments, function (x) {
      try {
        if (Object.getPrototypeOf(x) != Object.prototype) return x
        // A reference to itself stays one (to the copy), as the runtime reports it: [Circular].
        var c = Object.assign({}, x)
        for (var k in c) if (c[k] === x) c[k] = c
        return c
      } catch (e) {
        return x
      }
    })
    // The flows document is asked for at init, while the runtime is still on its way: asked for by
    // the runtime, it came a round trip later, and a returning page waited for it with the runtime
    // idle. Only a URL the runtime would fetch itself and that names the same document wherever
    // the app has moved to by then (http(s) or from the site's root, no spaces or control
    // characters), as the runtime would (no cookies); the runtime takes it up once, for that URL
    // (load-flows.ts). The first init's only (the runtime ignores the others). Caught here: a page
    // whose runtime never comes has no unhandled rejection.
    if (m === 'init' && !p) try {
      var o = (p = a)[1].flows
      if (typeof o == 'string' && /^(https?:)?\/[!-~]*$/.test(o)) (w[Symbol.for('linger.flows')] = [o, fetch(o, { headers: { Accept: 'application/json' }, credentials: 'omit' })])[1].catch(function () {})
    } catch (e) {}
    // With the DOM event it was called in (undefined: none, or a browser without window.event):
    // replayed later, a "Take the tour" clicked is still the user's own (tours.ts).
    var e = [a, Date.now(), location.href, d.title, w.event]
    q.push(e)
    // And init's page as its task ends: a router's redirect then (/ replaced by /login, its title
    // set) is the screen the user landed on, not a page view of / first (client.ts `settled`).
    if (m === 'init') setTimeout(function () { e.push(location.href, d.title) })
  }
  l.q = q
  'init identify track page group reset show cancel on off optOut optIn why flush'.split(' ').forEach(function (m) {
    l[m] = function () {
      return l.apply(null, [m].concat([].slice.call(arguments)))
    }
  })
  w.linger = l
  var s = d.createElement('script')
  var c = d.currentScript
  var u = '/linger/linger.js'
  s.type = 'module'
  if (c && c.nonce) s.nonce = c.nonce
  // Loaded, the runtime has taken over window.linger and replayed the queue: its flush() sends it.
  s.onload = s.onerror = function () {
    f.push = function (r) {
      r(w.linger != l && w.linger.flush())
    }
    f.forEach(f.push)
  }
  // A page that requires Trusted Types takes a script URL only from a policy (a plain string is
  // refused, and reported to the vendor's CSP endpoint on every page view): the snippet's own,
  // named `linger`, makes nothing but this URL. A page whose `trusted-types` names leave it out
  // may not require them: the plain URL then. Refused both, Linger stays off and the stub answers.
  try {
    s.src = w.trustedTypes.createPolicy('linger', { createScriptURL: function () { return u } }).createScriptURL(u)
  } catch (e) {
    try {
      s.src = u
    } catch (e) {
      return s.onload()
    }
  }
  d.head.appendChild(s)
})(window, document)
