// Turns the raw runs into the printed tables and bench/RESULTS.md (same tables, plus method).
import { loadavg, cpus } from 'node:os'
import { competitorSizes, SIZE_COMPARISONS } from './sizes.mjs'
import { fmt, fmtStat, kb, ratio, summarize } from './stats.mjs'

const ok = (runs) => runs.filter((r) => r && !r.error)
const firstError = (runs) => runs.find((r) => r?.error)?.error
const stat = (runs, key) => summarize(ok(runs).map((r) => r[key]))

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}

export function renderReport({ ours, competitors, ready, readySecond = {}, readyThird = {}, track, trackApart = {}, render, renderWarm = {}, burst, heap, config, seconds, configErrors, chromium }) {
  const sections = []

  // ── size ──
  const byId = Object.fromEntries(competitors.map((c) => [c.id, c]))
  const sizeRows = SIZE_COMPARISONS.map(([combo, id]) => {
    const mine = ours.combos[combo]
    const c = byId[id]
    if (!c || c.error) return [`Linger ${combo}`, kb(mine.bytes), `${c?.pkg ?? id}: build failed (${c?.error ?? 'missing'})`, '–', '–', '–']
    const s = competitorSizes(c)
    const theirs = s.eager + s.css + s.lazy
    return [`Linger ${combo}: ${mine.what}`, kb(mine.bytes), `${c.pkg}@${c.version}: ${c.what}`, kb(s.eager + s.css), s.lazy ? kb(s.lazy) : '–', `**${ratio(mine.bytes, theirs)}**`]
  })
  sections.push([
    '## Size (gzip -9; KB = 1,024 bytes)',
    table(['ours', 'ours gzip', 'theirs (same rolldown build, minified ESM)', 'theirs eager (+css)', 'theirs lazy', 'ours ÷ theirs (eager + css + lazy)'], sizeRows),
    'Our parts, each priced as scripts/size.mjs does (what it adds beyond what is always loaded before it):',
    table(['entry', 'gzip', 'budget'], ours.rows.map((r) => [r.name, kb(r.bytes), r.budget ? kb(r.budget) : '–'])),
  ].join('\n\n'))

  // ── time to ready ──
  // Wall time counts the time the core ran something else too (a shared machine); CPU does not.
  const longest = (runs) => `${fmt(stat(runs, 'longestMs')?.median)} [${fmt(stat(runs, 'longestCpuMs')?.median)}]`
  const baseReady = stat(ready['empty page (module script, no SDK)'] ?? [], 'busyMs')?.median
  const phReady = stat(ready['posthog-js slim + surveys'] ?? [], 'busyMs')?.median
  const segReady = stat(ready['Segment analytics-next'] ?? [], 'busyMs')?.median
  sections.push([
    '## Time to ready (script tag → ready), headless Chromium, network stubbed',
    table(
      ['page', 'main-thread busy ms, median (min–max)', 'wall ms, median (min–max)', 'longest task ms [by the thread\'s CPU time]', 'busy ÷ empty page', 'busy ÷ posthog', 'busy ÷ Segment'],
      Object.entries(ready).map(([name, runs]) => {
        const busy = stat(runs, 'busyMs')
        if (!busy) return [name, `failed: ${firstError(runs)}`, '', '', '', '', '']
        return [name, fmtStat(busy), fmtStat(stat(runs, 'wallMs')), longest(runs), ratio(busy.median, baseReady), ratio(busy.median, phReady), ratio(busy.median, segReady)]
      }),
    ),
  ].join('\n\n'))

  const segSecond = stat(readySecond['Segment analytics-next, second load'] ?? [], 'busyMs')?.median
  sections.push([
    '## Time to ready, second load (the same page again in the same context: storage and caches as a returning user has them)',
    table(
      ['page', 'main-thread busy ms, median (min–max)', 'wall ms, median (min–max)', 'longest task ms [by the thread\'s CPU time]', 'busy ÷ Segment second load', 'busy ÷ Segment first load'],
      Object.entries(readySecond).map(([name, runs]) => {
        const busy = stat(runs, 'busyMs')
        if (!busy) return [name, `failed: ${firstError(runs)}`, '', '', '', '']
        return [name, fmtStat(busy), fmtStat(stat(runs, 'wallMs')), longest(runs), ratio(busy.median, segSecond), ratio(busy.median, segReady)]
      }),
    ),
  ].join('\n\n'))

  // Beside the second load: Chromium writes each script's code cache on its second load (at idle,
  // after it ran) and reads it from the third, so this is what a returning user's page costs from then on.
  const segThird = stat(readyThird['Segment analytics-next, third load'] ?? [], 'busyMs')?.median
  if (Object.keys(readyThird).length) sections.push([
    '## Time to ready, third load (a returning user whose code cache is written: the same page a third time in the same context)',
    table(
      ['page', 'main-thread busy ms, median (min–max)', 'wall ms, median (min–max)', 'longest task ms [by the thread\'s CPU time]', 'busy ÷ Segment third load', 'busy ÷ Segment second load'],
      Object.entries(readyThird).map(([name, runs]) => {
        const busy = stat(runs, 'busyMs')
        if (!busy) return [name, `failed: ${firstError(runs)}`, '', '', '', '']
        return [name, fmtStat(busy), fmtStat(stat(runs, 'wallMs')), longest(runs), ratio(busy.median, segThird), ratio(busy.median, segSecond)]
      }),
    ),
  ].join('\n\n'))

  // ── cost per call ──
  // A row whose SDK delivered fewer events than it was given measured less work than it was
  // asked to do: it is shown, marked invalid, and nothing is compared with it.
  const costOf = (track) => {
    const invalid = (name) => !name.startsWith('no-op') && ok(track[name] ?? []).some((r) => !(r.received >= r.given))
    const noop = stat(track['no-op track() (baseline)'] ?? [], 'totalPerCall')?.median ?? 0
    const perCall = (name) => {
      const s = stat(track[name] ?? [], 'totalPerCall')
      return s && { ...s, median: s.median - noop, min: s.min - noop, max: s.max - noop }
    }
    const ph = invalid('posthog-js capture()') ? undefined : perCall('posthog-js capture()')?.median
    const seg = invalid('Segment track()') ? undefined : perCall('Segment track()')?.median
    return { invalid, noop, perCall, ph, seg }
  }
  const us = (s) => (s ? { ...s, median: s.median * 1000, min: s.min * 1000, max: s.max * 1000, q1: s.q1 * 1000, q3: s.q3 * 1000 } : null)
  const costSection = (title, track) => {
    const { invalid, noop, perCall, ph, seg } = costOf(track)
    return [
      title,
      table(
        ['call', 'calls made per run', 'events received by the stub / given (warm-up + calls), per run', 'sync µs/call (inside the call)', 'total main-thread µs/call (incl. deferred work, minus no-op)', 'total ÷ posthog', 'total ÷ no-op floor', 'total ÷ Segment'],
        Object.entries(track).map(([name, runs]) => {
          if (!ok(runs).length) return [name, '', '', `failed: ${firstError(runs)}`, '', '', '', '']
          const noOp = name.startsWith('no-op')
          const total = noOp ? stat(runs, 'totalPerCall') : perCall(name)
          const delivered = noOp ? 'sends nothing' : ok(runs).map((r) => `${r.received ?? '?'}/${r.given}`).join(', ')
          if (invalid(name)) return [`${name} — **INVALID** (delivered fewer events than given; not compared)`, ok(runs).map((r) => r.calls).join(', '), delivered, fmtStat(us(stat(runs, 'syncPerCall'))), fmtStat(us(total)), '–', '–', '–']
          return [name, ok(runs).map((r) => r.calls).join(', '), delivered, fmtStat(us(stat(runs, 'syncPerCall'))), fmtStat(us(total)), noOp ? '–' : ratio(total.median, ph), noOp ? '–' : ratio(total.median, noop), noOp ? '–' : ratio(total.median, seg)]
        }),
      ),
    ].join('\n\n')
  }
  const { invalid, noop, perCall, ph } = costOf(track)
  sections.push(costSection(`## Cost per call (${config.track.calls} calls, ${config.track.perTask} per task, time-boxed at ${config.track.timeoutMs / 1000} s, ${config.track.settleMs} ms settle after)`, track))
  if (Object.keys(trackApart).length && config.trackApart) {
    const c = config.trackApart
    sections.push(costSection(`## Cost per call, one call per task, as an app makes them (${c.calls} calls, time-boxed at ${c.timeoutMs / 1000} s, ${c.settleMs} ms settle after): nothing shares a task's deferred work`, trackApart))
  }

  // ── first render ──
  sections.push([
    '## Time to first render after the trigger (chunks not yet loaded)',
    table(
      ['widget', 'trigger → first shadow-root content, ms median (min–max)', 'trigger → end of the first frame showing it, ms median (min–max)'],
      Object.entries(render).map(([name, runs]) => (ok(runs).length ? [name, fmtStat(stat(runs, 'ms')), fmtStat(stat(runs, 'frameMs'))] : [name, `failed: ${firstError(runs)}`, ''])),
    ),
  ].join('\n\n'))

  sections.push([
    `## Time to first render after the trigger, chunks warm (the page idle ${config.warmIdleMs} ms after ready, so the runtime may prefetch what it expects to show)`,
    table(
      ['widget', 'trigger → first shadow-root content, ms median (min–max)', 'trigger → end of the first frame showing it, ms median (min–max)'],
      Object.entries(renderWarm).map(([name, runs]) => (ok(runs).length ? [name, fmtStat(stat(runs, 'ms')), fmtStat(stat(runs, 'frameMs'))] : [name, `failed: ${firstError(runs)}`, ''])),
    ),
  ].join('\n\n'))

  // ── burst ──
  const b = ok(burst)
  sections.push([
    `## ${config.burst.calls.toLocaleString('en')} rapid track() calls (${config.burst.perTask} per task), Linger with 50 experiences`,
    b.length
      ? table(
          ['longest main-thread task ms, median (min–max)', 'longest task by the thread\'s CPU time ms, median (min–max)', 'main-thread busy ms', 'wall ms', 'calls made (time box ' + config.burst.timeoutMs / 1000 + ' s)'],
          [[fmtStat(stat(b, 'longestMs')), fmtStat(stat(b, 'longestCpuMs')), fmtStat(stat(b, 'busyMs')), fmtStat(stat(b, 'wallMs')), b.map((r) => r.reached).join(', ')]],
        )
      : `failed: ${firstError(burst)}`,
  ].join('\n\n'))

  // ── heap ──
  sections.push([
    `## Offline: memory after N track() calls (one run each, time-boxed at ${config.heap.timeoutMs / 1000} s)`,
    table(
      ['events asked', 'events tracked in the time box', 'in outbox', 'JS heap after GC', 'localStorage, all of Linger', 'of which the outbox', 'ms per track() as the queue grew (calls so far: ms)'],
      heap.map((h) =>
        h.error
          ? [h.count.toLocaleString('en'), `failed: ${h.error}`, '', '', '', '', '']
          : [h.count.toLocaleString('en'), `${h.reached.toLocaleString('en')} in ${fmt(h.seconds)} s`, h.queued, `${(h.heapBytes / 1048576).toFixed(2)} MB`, kb(h.storageBytes), kb(h.outboxBytes), h.msPerCallAt.map(([n, ms]) => `${n}: ${fmt(ms)}`).join(', ')],
      ),
    ),
  ].join('\n\n'))

  // ── the figures issue 12 set goals for, from this run ──
  const linger = invalid('Linger track(), 50 experiences') ? undefined : perCall('Linger track(), 50 experiences')?.median
  const readyOf = (runs, name) => stat(runs[name] ?? [], 'busyMs')?.median
  const slowest = (key) => Math.max(...Object.values(renderWarm).map((runs) => stat(runs, key)?.median ?? NaN))
  const warmMax = slowest('ms')
  const warmFrameMax = slowest('frameMs')
  const everything = ours.combos.everything.bytes
  sections.unshift([
    '## The figures (goals of issue 12), from this run',
    table(
      ['figure', 'this run', 'goal'],
      [
        ['`track()` total main-thread, 50 experiences ÷ posthog `capture()`', ratio(linger, ph), '≤ 0.1×'],
        ['same ÷ the no-op `track()` floor', ratio(linger, noop), '≤ 10×'],
        ...(() => {
          const apart = costOf(trackApart)
          const mine = apart.invalid('Linger track(), 50 experiences') ? undefined : apart.perCall('Linger track(), 50 experiences')?.median
          return mine === undefined ? [] : [['`track()` one call per task (as an app makes them): µs, ÷ posthog, ÷ Segment', `${fmt(mine * 1000)} µs: ${ratio(mine, apart.ph)}, ${ratio(mine, apart.seg)}`, '–']]
        })(),
        ['longest task during 10,000 tracks (wall; in brackets the longest by the thread\'s CPU time)', b.length ? `${fmt(stat(b, 'longestMs').median)} ms [${fmt(stat(b, 'longestCpuMs').median)} ms CPU]` : '–', '< 16 ms'],
        ['time to ready, busy ÷ Segment (example flows, first load)', ratio(readyOf(ready, 'Linger, flows.example.json'), segReady), '≤ 1.5×'],
        ['same, 50 experiences', ratio(readyOf(ready, 'Linger, 50 experiences'), segReady), '≤ 1.5×'],
        ['same, the document checked before it ships (`npm run flows:check`): example flows / 50 experiences', `${ratio(readyOf(ready, 'Linger, flows.example.json checked (`npm run flows:check`)'), segReady)} / ${ratio(readyOf(ready, 'Linger, 50 experiences checked'), segReady)}`, '≤ 1.5×'],
        ['same, second load (cached compiled flows) ÷ Segment second load (example flows)', ratio(readyOf(readySecond, 'Linger, flows.example.json, second load'), segSecond), '≤ 1.0×'],
        ['same, 50 experiences', ratio(readyOf(readySecond, 'Linger, 50 experiences, second load'), segSecond), '≤ 1.0×'],
        ['trigger → first render, chunks warm (slowest widget)', Number.isFinite(warmMax) ? `${fmt(warmMax)} ms` : '–', '< 16 ms'],
        ['same, to the end of the first frame showing it', Number.isFinite(warmFrameMax) ? `${fmt(warmFrameMax)} ms` : '–', '–'],
        ['every chunk together, gzip', kb(everything), '≤ 45 KB'],
      ],
    ),
  ].join('\n\n'))

  const errors = [...Object.values(ready), ...Object.values(readySecond), ...Object.values(readyThird), ...Object.values(track), ...Object.values(render), ...Object.values(renderWarm), burst, heap]
    .flat()
    .flatMap((r) => r?.pageErrors ?? [])
  const machine = `${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end; Chromium ${chromium}; ${config.runs} runs per row; run took ${seconds.toFixed(0)} s`
  const notes = [
    `Machine: ${machine}.`,
    configErrors.length ? `WARNING: the 50-experience flows had config errors: ${configErrors.slice(0, 3).join('; ')}` : 'The 50-experience flows document validated with no errors.',
    errors.length ? `Errors thrown into pages: ${[...new Set(errors)].slice(0, 5).join('; ')}` : 'No errors were thrown into any page.',
  ]
  const body = sections.join('\n\n')
  return {
    console: `${body}\n\n${notes.join('\n')}`,
    markdown: `# Benchmark results\n\nProduced by \`npm run bench\` (see bench/README.md for the method). Medians of the runs, with min–max; ratios are medians against the row named, measured in the same run.\n\n${notes.map((n) => `- ${n}`).join('\n')}\n\n${body}\n`,
  }
}
