#!/usr/bin/env node
// Sends a realistic 60-day history through the collector's real /v1/batch API, so the
// dashboard has something to show on first start:
//
//   node packages/collector/scripts/seed.mjs [--url http://127.0.0.1:8787] [--key pk_demo]
//                                            [--secret s] [--users 400] [--days 60] [--seed 7]
//
// Hundreds of users in a dozen accounts (with plan, role, seats traits), every event kind
// Linger emits, shaped by the flows config the collector serves (checklist tasks, surveys,
// cancel reasons and offers). Deterministic for a given --seed: the messageIds repeat, so
// running it twice stores nothing new.
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';

import { billingMoments } from './seed-billing.mjs';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.LINGER_URL ?? 'http://127.0.0.1:8787' },
    key: { type: 'string', default: process.env.LINGER_KEY ?? 'pk_demo' },
    // The key's userHash secret, to sign identified events as the vendor's server would (the
    // demo's by default); with a secret, the collector counts unsigned ones for no one.
    secret: { type: 'string', default: process.env.LINGER_SECRET ?? process.env.LINGER_DEMO_SECRET ?? 'demo-identity-secret' },
    users: { type: 'string', default: '400' },
    days: { type: 'string', default: '60' },
    seed: { type: 'string', default: '7' },
    quiet: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
});
const base = args.url.replace(/\/$/, '');
const USERS = Number(args.users);
const DAYS = Number(args.days);
const DAY = 86_400_000;

// ---- deterministic randomness ------------------------------------------------------------
// Each user draws from their own stream, so a later run (a later "now") changes only the
// newest days of each user, not everyone after the first difference.
let state = 1;
const reseed = (...parts) => {
  state = parts.reduce((h, p) => Math.imul(h ^ p, 2654435761) >>> 0, 0x9e3779b9) || 1;
};
reseed(Number(args.seed));
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const chance = (p) => random() < p;
const pick = (list) => list[Math.floor(random() * list.length)];
const weighted = (pairs) => {
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of pairs) if ((r -= w) <= 0) return value;
  return pairs[pairs.length - 1][0];
};
const int = (min, max) => min + Math.floor(random() * (max - min + 1));

// ---- the flows config the SDK would run --------------------------------------------------
async function loadFlows() {
  try {
    const res = await fetch(`${base}/v1/flows`);
    if (res.ok) return await res.json();
  } catch (error) {
    throw new Error(`cannot reach the collector at ${base} (${error.cause?.code ?? error.message}); start it first`);
  }
  return {};
}

const now = Date.now();
const start = Math.floor((now - DAYS * DAY) / DAY) * DAY;
const events = [];

const hmac = (message) => createHmac('sha256', args.secret).update(message).digest('hex');

function emit(type, user, at, fields) {
  if (at > now) return;
  // The account the event names (a group call's, else the user's since), vouched for as the
  // vendor's server does: groupHash = HMAC of userId + "\n" + groupId, with the same secret.
  const groupId = fields.groupId ?? user.groupId;
  const signed = user.identified && args.secret;
  const context = {
    library: { name: 'linger', version: '0.1.0' },
    page: { path: fields.path ?? '/app', url: `https://app.acme.test${fields.path ?? '/app'}`, title: 'Acme Projects' },
    locale: user.locale,
    timezone: 'Europe/Berlin',
    // as the SDK does once group() was called
    ...(user.groupId ? { groupId: user.groupId } : {}),
    ...(signed ? { userHash: hmac(user.id) } : {}),
    ...(signed && groupId ? { groupHash: hmac(`${user.id}\n${groupId}`) } : {}),
  };
  const { path: _path, ...rest } = fields;
  events.push({
    type,
    messageId: `seed-${args.seed}-${args.key}-${user.id}-${++user.sequence}`,
    timestamp: new Date(at).toISOString(),
    ...(user.identified ? { userId: user.id } : {}),
    anonymousId: user.anonymousId,
    context,
    ...rest,
  });
}
const track = (user, at, event, properties = {}) => emit('track', user, at, { event, properties });
const page = (user, at, name, path) => emit('page', user, at, { name, path, properties: { path } });
const identify = (user, at, traits) => emit('identify', user, at, { traits });

const auth = `Basic ${Buffer.from(`${args.key}:`).toString('base64')}`;

/** A collector still migrating answers 503 with when to come back: the seed waits, as browsers do. */
async function patiently(request) {
  for (;;) {
    const res = await request();
    if (res.status !== 429 && res.status !== 503) return res;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after') ?? 1) * 1000));
  }
}

/**
 * Asks the collector, before anything is sent, whether the key's secret is the one the seed signs
 * with. With another one, every seeded event is stored marked unverified and counts for no one:
 * the seed said "stored" over an empty dashboard. The secret itself is never printed.
 */
async function checkSecret() {
  const userId = 'seed-secret-check';
  const query = new URLSearchParams({ userId, userHash: args.secret ? hmac(userId) : '' });
  const res = await patiently(() => fetch(`${base}/v1/state?${query}`, { headers: { Authorization: auth } }));
  const body = await res.json().catch(() => ({}));
  // 403 "userHash: …": the key has a secret and it is not ours (403 "no user-hash secret": nothing to sign)
  if (res.status === 403 && /^userHash/.test(body.errors?.[0] ?? '')) {
    throw new Error(`${args.key} has another userHash secret than the one this seed signs with, so its events would count for no one; `
      + 'give the key\'s secret in LINGER_SECRET (or --secret; LINGER_DEMO_SECRET for the demo). Nothing was sent.');
  }
}

// ---- the simulation ----------------------------------------------------------------------
async function main() {
  const flows = await loadFlows();
  if (!args['dry-run']) await checkSecret();
  const checklist = flows.checklists?.[0] ?? { id: 'getting-started', tasks: [{ id: 'create-project', points: 10 }] };
  const surveys = flows.surveys ?? [];
  const survey = (kind) => surveys.find((s) => s.kind === kind);
  const cancel = flows.cancelFlow ?? { reasons: [{ id: 'other' }], offers: [] };
  const offerFor = (reason) => cancel.offers?.find((o) => o.id === reason.offer);
  // the config holds out 5%; the seed uses more so the offer-vs-holdout comparison has data
  const holdout = Math.max(cancel.holdout ?? 0, 0.15);

  const plans = [['free', 5], ['pro', 4], ['enterprise', 1]];
  const accounts = Array.from({ length: 14 }, (_, i) => ({
    id: `acct_${String(i + 1).padStart(2, '0')}`,
    name: ['Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Ind.', 'Wayne Ent.', 'Acme Corp', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Gringotts', 'Oscorp'][i],
    plan: weighted(plans),
    industry: pick(['software', 'agency', 'retail', 'education', 'finance']),
  }));
  const features = [['board-view', 10], ['search', 7], ['comments', 6], ['export', 4], ['gantt', 3], ['automations', 2], ['integrations', 2], ['time-tracking', 1]];
  const reasonsWeights = { 'too-expensive': 5, 'not-using': 4, 'missing-features': 3, 'too-complex': 2, switching: 2, other: 1 };

  for (let n = 0; n < USERS; n++) {
    reseed(Number(args.seed), n + 1);
    const account = pick(accounts);
    const user = {
      sequence: 0,
      id: `user_${String(n + 1).padStart(4, '0')}`,
      anonymousId: `anon-${args.seed}-${n}`,
      identified: false,
      locale: pick(['en-US', 'en-GB', 'de-DE', 'fr-FR']),
    };
    // more sign-ups early on, so the at-risk and retention views have older users too
    const signup = start + Math.floor(Math.pow(random(), 1.6) * DAYS * DAY) + int(8, 18) * 3_600_000;
    const engagement = 0.15 + random() * 0.8;
    const fading = chance(0.25); // activity that halves over time: the at-risk signal
    const detractorish = engagement < 0.35;
    const willOpenCancel = chance(engagement < 0.4 ? 0.4 : 0.1);
    const cancelDay = willOpenCancel ? int(10, Math.max(11, DAYS - 1)) : Infinity;

    page(user, signup, 'Home', '/');
    user.identified = true;
    emit('identify', user, signup + 60_000, {
      traits: { plan: account.plan, role: pick(['admin', 'member', 'member', 'viewer']), seats: int(3, 80), createdAt: new Date(signup).toISOString().slice(0, 10), email: `${user.id}@${account.id}.test` },
    });
    emit('group', user, signup + 61_000, { groupId: account.id, traits: { name: account.name, plan: account.plan, industry: account.industry } });
    user.groupId = account.id;

    let lastSeen = signup;
    let points = 0;
    let level = 0;
    const levels = flows.levels ?? [];
    const award = (at, amount) => {
      points += amount;
      while (levels[level + 1] && points >= levels[level + 1].points) {
        level++;
        track(user, at, 'Level Reached', { level: levels[level].name, points });
      }
    };
    const doneTasks = new Set();
    let checklistOver = false;
    const used = new Set();
    let exports = 0;
    let streak = 0;
    let tourShown = false;
    // integrations-hint repeats until completed, and its audience leaves out whoever connected one.
    let integrated = false;
    const answered = new Set();
    let cancelled = false;
    const pauses = [];

    for (let day = 0; start + day * DAY < now && !cancelled; day++) {
      const dayStart = signup + day * DAY;
      if (dayStart > now) break;
      const age = day;
      let p = engagement * (age === 0 ? 1 : 0.75);
      if (fading && age > 20) p *= 0.35;
      if (!chance(p)) {
        streak = 0;
        continue;
      }
      streak++;
      lastSeen = dayStart;
      let at = dayStart + int(0, 6) * 3_600_000 + int(0, 3_599) * 1000;
      const step = () => (at += int(20, 600) * 1000);

      page(user, step(), 'Dashboard', '/dashboard');
      track(user, at, 'Dashboard Viewed');
      // The value review at the first visit of each month, and a look at the account's leaderboard
      // every sixth day of use: no random draws, so everything else the seed sends stays the same.
      const month = new Date(dayStart).toISOString().slice(0, 7);
      if (age > 0 && !answered.has(`review:${month}`)) {
        answered.add(`review:${month}`);
        const previous = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
        track(user, at + 1000, 'Value Review Shown', { reviewId: 'month-in-acme', period: previous });
      }
      if (streak % 6 === 3) track(user, at + 2000, 'Leaderboard Viewed', { groupId: account.id });
      const actions = int(1, 3 + Math.round(engagement * 6));
      for (let a = 0; a < actions; a++) {
        const feature = weighted(features);
        used.add(feature);
        track(user, step(), 'Feature Used', { feature });
        if (feature === 'export') {
          exports++;
          track(user, step(), 'Report Exported', { format: pick(['csv', 'pdf']) });
        }
        if (chance(0.3)) track(user, step(), 'Task Created');
      }
      if (age < 10 && chance(0.5)) track(user, step(), 'Project Created', { template: pick(['kanban', 'list', 'gantt']) });

      // onboarding checklist: tasks done in the first days, by the engaged ones more
      if (!checklistOver && age <= 30) {
        for (const taskDef of checklist.tasks ?? []) {
          if (!doneTasks.has(taskDef.id) && chance(0.25 + engagement * 0.45)) {
            doneTasks.add(taskDef.id);
            track(user, step(), 'Checklist Task Completed', { checklistId: checklist.id, taskId: taskDef.id, points: taskDef.points ?? 0 });
            award(at, taskDef.points ?? 0);
            break;
          }
        }
        if (doneTasks.size === (checklist.tasks ?? []).length) {
          checklistOver = true;
          track(user, step(), 'Checklist Completed', { checklistId: checklist.id, points: checklist.reward?.points ?? 0 });
          award(at, checklist.reward?.points ?? 0);
          track(user, step(), 'Badge Earned', { badgeId: checklist.reward?.badge ?? 'onboarded', points: 0 });
          const ces = survey('ces');
          if (ces && chance(0.7)) {
            track(user, step(), 'Survey Shown', { surveyId: ces.id, kind: 'ces', responseId: `r-${user.id}-${ces.id}` });
            if (chance(0.6)) {
              track(user, step(), 'Survey Answered', { surveyId: ces.id, kind: 'ces', score: Math.min(7, Math.max(1, Math.round(3 + engagement * 4 + (random() - 0.5) * 2))), responseId: `r-${user.id}-${ces.id}` });
            } else track(user, step(), 'Survey Dismissed', { surveyId: ces.id, kind: 'ces', responseId: `r-${user.id}-${ces.id}` });
          }
        } else if (age > 6 && chance(0.08)) {
          checklistOver = true;
          track(user, step(), 'Checklist Dismissed', { checklistId: checklist.id });
        }
      }

      // the export tour, once, from the second day
      if (!tourShown && age >= 1 && exports === 0 && chance(0.5)) {
        tourShown = true;
        // As the SDK names each run of a tour (no random draw: the rest of the seed stays the same).
        // integrations-hint below is sent without one, as older SDKs send it.
        const runId = `${user}:export-tour`;
        track(user, step(), 'Tour Started', { tourId: 'export-tour', runId });
        track(user, step(), 'Tour Step Viewed', { tourId: 'export-tour', runId, stepIndex: 0, stepId: 'open-reports' });
        const r = random();
        if (r < 0.55) {
          track(user, step(), 'Tour Step Viewed', { tourId: 'export-tour', runId, stepIndex: 1, stepId: 'export-button' });
          track(user, step(), 'Tour Completed', { tourId: 'export-tour', runId });
        } else if (r < 0.9) track(user, step(), 'Tour Dismissed', { tourId: 'export-tour', runId, stepIndex: 0, stepId: 'open-reports', reason: 'close' });
        else {
          // As the SDK reports a last step whose target never came: skipped, then over unfinished.
          track(user, step(), 'Tour Target Missing', { tourId: 'export-tour', runId, stepIndex: 1, stepId: 'export-button', reason: 'skip' });
          track(user, step(), 'Tour Dismissed', { tourId: 'export-tour', runId, stepIndex: 1, stepId: 'export-button', reason: 'target-missing' });
        }
      }
      if (!integrated && chance(0.05)) {
        page(user, step(), 'Settings', '/settings');
        track(user, at, 'Tour Started', { tourId: 'integrations-hint' });
        if (chance(0.4)) {
          track(user, step(), 'Tour Completed', { tourId: 'integrations-hint' });
          track(user, step(), 'Integration Connected', { app: 'slack' });
          integrated = true;
        } else track(user, step(), 'Tour Dismissed', { tourId: 'integrations-hint', stepIndex: 0, reason: 'close' });
      }

      // badges
      if (used.size >= 5 && !answered.has('badge:explorer')) {
        answered.add('badge:explorer');
        track(user, step(), 'Badge Earned', { badgeId: 'explorer', points: 20 });
        award(at, 20);
      }
      if (streak >= 5 && !answered.has('badge:on-a-roll')) {
        answered.add('badge:on-a-roll');
        track(user, step(), 'Badge Earned', { badgeId: 'on-a-roll', points: 25 });
        award(at, 25);
      }
      if (exports >= 10 && !answered.has('badge:reporter')) {
        answered.add('badge:reporter');
        track(user, step(), 'Badge Earned', { badgeId: 'reporter', points: 30 });
        award(at, 30);
      }

      // surveys: NPS after two weeks (half the users), CSAT after the first export, a choice after 3
      const nps = survey('nps');
      if (nps && age >= 14 && !answered.has(nps.id) && chance(0.25)) {
        answered.add(nps.id);
        if (chance(0.5)) {
          track(user, step(), 'Survey Shown', { surveyId: nps.id, kind: 'nps', responseId: `r-${user.id}-${nps.id}` });
          if (chance(0.65)) {
            const mean = detractorish ? 4.5 : 6 + engagement * 4;
            const score = Math.max(0, Math.min(10, Math.round(mean + (random() - 0.5) * 4)));
            const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
            const responseId = `r-${user.id}-${nps.id}`;
            track(user, step(), 'Survey Answered', { surveyId: nps.id, kind: 'nps', score, category, responseId });
            if (chance(0.4)) {
              const comments = {
                promoter: ['The board view is exactly what we needed', 'Love the exports', 'Fast and simple', 'Our team lives in it now'],
                passive: ['Good, but the Gantt view is slow', 'Would like better mobile support', 'Solid, a bit pricey'],
                detractor: ['Too expensive for what we use', 'Hard to find things', 'Exports keep failing', 'Missing time tracking'],
              }[category];
              track(user, step(), 'Survey Answered', { surveyId: nps.id, kind: 'nps', category, comment: pick(comments), responseId });
            }
          } else track(user, step(), 'Survey Dismissed', { surveyId: nps.id, kind: 'nps', responseId: `r-${user.id}-${nps.id}` });
        }
      }
      const csat = survey('csat');
      if (csat && exports >= 1 && !answered.has(csat.id)) {
        answered.add(csat.id);
        track(user, step(), 'Survey Shown', { surveyId: csat.id, kind: 'csat', responseId: `r-${user.id}-${csat.id}` });
        if (chance(0.55)) {
          const score = Math.max(1, Math.min(5, Math.round(2.5 + engagement * 2.5 + (random() - 0.5) * 2)));
          const category = score >= 4 ? 'satisfied' : score === 3 ? 'neutral' : 'dissatisfied';
          const responseId = `r-${user.id}-${csat.id}`;
          track(user, step(), 'Survey Answered', { surveyId: csat.id, kind: 'csat', score, category, responseId });
          if (category === 'dissatisfied' && chance(0.6)) {
            track(user, step(), 'Survey Answered', { surveyId: csat.id, kind: 'csat', category, comment: pick(['The PDF lost my formatting', 'Export took forever', 'CSV columns are wrong']), responseId });
          }
        } else track(user, step(), 'Survey Dismissed', { surveyId: csat.id, kind: 'csat', responseId: `r-${user.id}-${csat.id}` });
      }
      const choice = survey('choice');
      if (choice && exports >= 3 && !answered.has(choice.id) && chance(0.5)) {
        answered.add(choice.id);
        track(user, step(), 'Survey Shown', { surveyId: choice.id, kind: 'choice', responseId: `r-${user.id}-${choice.id}` });
        if (chance(0.5)) {
          track(user, step(), 'Survey Answered', { surveyId: choice.id, kind: 'choice', choices: [weighted((choice.options ?? ['Other']).map((o, i) => [o, 4 - Math.min(i, 3)]))], responseId: `r-${user.id}-${choice.id}` });
        }
      }

      // the cancellation flow
      if (age >= cancelDay && !answered.has('cancel')) {
        answered.add('cancel');
        const variant = chance(holdout) ? 'holdout' : 'offer';
        track(user, step(), 'Cancel Flow Started', { flowId: cancel.id, variant });
        if (chance(0.1)) continue; // closed the flow straight away: abandoned
        const reasonId = weighted(Object.entries(reasonsWeights));
        const reason = (cancel.reasons ?? []).find((r) => r.id === reasonId) ?? { id: reasonId };
        track(user, step(), 'Cancel Reason Selected', { flowId: cancel.id, reasonId: reason.id, ...(reason.comment && chance(0.5) ? { comment: pick(['We moved to a spreadsheet', 'Budget cuts', 'Need Jira sync']) } : {}) });
        const offer = variant === 'offer' ? offerFor(reason) : undefined;
        // Without an offer taken, some still answer "Keep my subscription" (the holdout's only way to stay).
        let saved = false;
        const kept = chance(variant === 'holdout' ? 0.12 : 0.08);
        if (offer) {
          track(user, step(), 'Cancel Offer Shown', { flowId: cancel.id, offerId: offer.id, offerKind: offer.kind, variant });
          const acceptance = { discount: 0.45, pause: 0.4, downgrade: 0.3, contact: 0.2 }[offer.kind] ?? 0.2;
          if (chance(acceptance)) {
            saved = true;
            track(user, step(), 'Cancel Offer Accepted', { flowId: cancel.id, offerId: offer.id, offerKind: offer.kind, variant });
            if (offer.kind === 'pause') pauses.push([at, offer]);
          }
        }
        const outcome = saved ? 'saved' : kept ? 'kept' : chance(0.85) ? 'cancelled' : 'abandoned';
        track(user, step(), 'Cancel Flow Completed', { flowId: cancel.id, outcome, reasonId: reason.id, variant });
        if (outcome === 'cancelled') cancelled = true;
      }
    }
    const moments = billingMoments({ user, plan: account.plan, signup, lastSeen, engagement, now, track, identify, rand: { random, chance, int } });
    for (const [at, offer] of pauses) moments?.pause(at, offer);
  }

  events.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  if (args['dry-run']) {
    console.log(`[seed] would send ${events.length} events`);
    return;
  }
  await send(events);
}

// ---- delivery, the way an SDK does it ----------------------------------------------------
async function send(all) {
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  const started = Date.now();
  for (let i = 0; i < all.length; ) {
    const batch = all.slice(i, i + 400);
    const res = await patiently(() => fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: auth },
      body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
    }));
    const body = await res.json();
    if (!res.ok) throw new Error(`batch refused: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    accepted += body.accepted;
    duplicates += body.duplicates ?? 0;
    rejected += body.rejected.length;
    i += batch.length;
    // A terminal shows one line counting up; a log (CI, a file) gets no wall of carriage returns.
    if (!args.quiet && process.stdout.isTTY) process.stdout.write(`\r[seed] sent ${i}/${all.length} events`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`${!args.quiet && process.stdout.isTTY ? '\n' : ''}[seed] ${USERS} users over ${DAYS} days: ${accepted - duplicates} new events stored, ${duplicates} already there, ${rejected} rejected, in ${seconds.toFixed(1)} s (${Math.round(all.length / seconds)} events/s) → ${base}/`);
}

main().catch((error) => {
  console.error(`[seed] ${error.message}`);
  process.exitCode = 1;
});
