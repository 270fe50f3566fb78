// Realistic event traffic for the benchmark: users who sign up over the period (anonymous
// first, then identified), come back on some days with an engagement that may fade, use
// features, see tours, checklists, surveys and badges, and now and then open the cancel flow.
// Deterministic for a seed; generated day by day, each day's events sorted by time, so batches
// arrive in time order as live traffic does (many people's sessions interleaved, not one
// person's day after another's), and lazily, so ten million events never sit in memory.

const DAY = 86_400_000;

function prng(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FEATURES = ['board-view', 'search', 'comments', 'export', 'gantt', 'automations', 'integrations', 'time-tracking'];
const PLANS = ['free', 'free', 'free', 'pro', 'pro', 'enterprise'];
const PAGES = ['Home', 'Projects', 'Board', 'Settings', 'Reports'];
const TASKS = ['create-project', 'add-tasks', 'invite', 'connect-calendar'];
const REASONS = ['too-expensive', 'not-using', 'missing-features', 'too-complex', 'switching', 'other'];

/**
 * Yields arrays of Segment messages, `batchSize` each, about `events` in all, spread over
 * `days` days ending at `now`. ~200 events per user overall.
 */
export function* generateBatches({ events, days, batchSize, seed = 7, now = Date.now(), key = 'bench' }) {
  const random = prng(seed);
  const chance = (p) => random() < p;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const users = Math.max(10, Math.round(events / 200));
  const accounts = Math.max(3, Math.round(users / 25));
  const start = Math.floor((now - days * DAY) / DAY) * DAY;
  const people = Array.from({ length: users }, (_, n) => ({
    id: `u${n}`,
    anonymousId: `anon-${key}-${n}`,
    identified: false,
    account: `acct_${n % accounts}`,
    plan: PLANS[n % PLANS.length],
    // sign-ups spread over the period, more of them early
    signup: start + Math.floor(Math.pow(random(), 1.5) * days) * DAY,
    engagement: 0.1 + random() * 0.5,
    fading: chance(0.25),
    sequence: 0,
    tasks: 0,
  }));
  // mean events per active day, tuned so the total lands near `events`
  const activeDays = people.reduce((sum, u) => sum + ((start + days * DAY - u.signup) / DAY) * u.engagement * (u.fading ? 0.6 : 1), 0);
  const perDay = Math.max(3, events / Math.max(1, activeDays));

  let batch = [];
  let sent = 0;
  /** The current day's messages, sorted by time before they are sent. */
  let today = [];
  const emit = (user, at, message) => {
    today.push({
      ...message,
      messageId: `${key}-${user.id}-${++user.sequence}`,
      timestamp: new Date(at).toISOString(),
      anonymousId: user.anonymousId,
      ...(user.identified ? { userId: user.id } : {}),
      context: { library: { name: 'linger', version: '0.1.0' }, groupId: user.account, page: { path: '/app' } },
    });
  };

  for (let day = 0; day < days && sent < events; day++) {
    const dayStart = start + day * DAY;
    for (const user of people) {
      if (user.signup > dayStart) continue;
      const age = (dayStart - user.signup) / DAY;
      const fade = user.fading ? Math.max(0.15, 1 - age / days) : 1;
      if (age > 0 && !chance(user.engagement * fade)) continue;
      let at = dayStart + (8 + Math.floor(random() * 10)) * 3_600_000 + Math.floor(random() * 3_600_000);
      if (at > now) continue;
      const tick = () => (at += 5_000 + Math.floor(random() * 120_000));
      if (!user.identified) {
        emit(user, at, { type: 'page', name: 'Home', properties: { path: '/' } });
        user.identified = true;
        emit(user, tick(), { type: 'identify', traits: { plan: user.plan, role: pick(['admin', 'member', 'viewer']) } });
        emit(user, tick(), { type: 'group', groupId: user.account, traits: { plan: user.plan, industry: pick(['software', 'retail', 'finance']) } });
        emit(user, tick(), { type: 'track', event: 'Tour Started', properties: { tourId: 'welcome' } });
        for (let step = 0; step < 3; step++) emit(user, tick(), { type: 'track', event: 'Tour Step Viewed', properties: { tourId: 'welcome', stepIndex: step } });
        emit(user, tick(), { type: 'track', event: chance(0.7) ? 'Tour Completed' : 'Tour Dismissed', properties: { tourId: 'welcome' } });
      }
      const count = Math.max(1, Math.round(perDay * (0.5 + random())));
      for (let i = 0; i < count; i++) {
        const r = random();
        if (r < 0.45) emit(user, tick(), { type: 'page', name: pick(PAGES), properties: {} });
        else emit(user, tick(), { type: 'track', event: 'Feature Used', properties: { feature: FEATURES[Math.floor(Math.pow(random(), 2) * FEATURES.length)] } });
      }
      if (user.tasks < TASKS.length && chance(0.5)) {
        emit(user, tick(), { type: 'track', event: 'Checklist Task Completed', properties: { checklistId: 'getting-started', taskId: TASKS[user.tasks++], points: 10 } });
        if (user.tasks === TASKS.length) {
          emit(user, tick(), { type: 'track', event: 'Checklist Completed', properties: { checklistId: 'getting-started' } });
          emit(user, tick(), { type: 'track', event: 'Badge Earned', properties: { badgeId: 'onboarded' } });
        }
      }
      if (chance(0.03)) {
        const responseId = `${user.id}-r${user.sequence}`;
        emit(user, tick(), { type: 'track', event: 'Survey Shown', properties: { surveyId: 'nps-quarterly' } });
        if (chance(0.4)) {
          const score = Math.min(10, Math.floor(random() * 11 * (user.engagement + 0.5)));
          emit(user, tick(), { type: 'track', event: 'Survey Answered', properties: { surveyId: 'nps-quarterly', kind: 'nps', score, responseId } });
          if (chance(0.3)) emit(user, tick(), { type: 'track', event: 'Survey Answered', properties: { surveyId: 'nps-quarterly', kind: 'nps', responseId, comment: pick(['Love it', 'Too slow', 'Pricey', 'Great boards']) } });
        } else emit(user, tick(), { type: 'track', event: 'Survey Dismissed', properties: { surveyId: 'nps-quarterly' } });
      }
      if (chance(0.004 / user.engagement)) {
        emit(user, tick(), { type: 'track', event: 'Cancel Flow Started', properties: { variant: chance(0.85) ? 'offer' : 'holdout' } });
        emit(user, tick(), { type: 'track', event: 'Cancel Reason Selected', properties: { reasonId: pick(REASONS) } });
        const saved = chance(0.35);
        if (saved) emit(user, tick(), { type: 'track', event: 'Cancel Offer Accepted', properties: { offerKind: pick(['discount', 'pause']) } });
        emit(user, tick(), { type: 'track', event: 'Cancel Flow Completed', properties: { outcome: saved ? 'saved' : 'cancelled' } });
      }
    }
    // stable: one person's messages keep their order when two share a timestamp
    today.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    batch = batch.concat(today);
    today = [];
    let from = 0;
    for (; batch.length - from >= batchSize; from += batchSize) {
      const out = batch.slice(from, from + batchSize);
      sent += out.length;
      yield out;
      if (sent >= events) return;
    }
    batch = batch.slice(from);
  }
  if (batch.length > 0) yield batch.slice(0, Math.max(0, events - sent));
}
