// The vendor pastes this (minified, in dist/cdn/snippet.html). It queues every call with the
// time and page it was made on, so the runtime can replay them as they happened.
;(function (w, d) {
  if (w.linger) return
  var q = []
  var l = function () {
    q.push([[].slice.call(arguments), Date.now(), location.href, d.title])
  }
  l.q = q
  'init identify track page group reset show cancel on off optOut optIn why flush'.split(' ').forEach(function (m) {
    l[m] = function () {
      l.apply(null, [m].concat([].slice.call(arguments)))
    }
  })
  w.linger = l
  var s = d.createElement('script')
  var c = d.currentScript
  s.type = 'module'
  s.src = '/linger/linger.js'
  if (c && c.nonce) s.nonce = c.nonce
  d.head.appendChild(s)
})(window, document)
