// Seed history for the announcement and billing read-outs (npm run seed): one user's
// announcement, failed payments, annual-plan offer and pauses, with the events the SDK sends
// and the traits a vendor's backend sets. Deterministic: it draws from the seed's own random.

const DAY = 86_400_000;

/** The UTC day a pause of `months` taken at `at` ends (the SDK's rule). */
function resumeDay(at, months) {
  const d = new Date(at);
  const month = d.getUTCMonth() + months;
  d.setUTCMonth(month);
  if (d.getUTCMonth() !== month % 12) d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/**
 * @param {object} o
 * @param {(user, at, event, properties?) => void} o.track
 * @param {(user, at, traits) => void} o.identify
 * @param {{ random(): number, chance(p: number): boolean, int(a: number, b: number): number }} o.rand
 */
export function billingMoments({ user, plan, signup, lastSeen, engagement, now, track, identify, rand }) {
  const { chance, int } = rand;
  const paid = plan !== 'free';

  // The velocity-reports banner (examples/flows.json) announced two weeks before the end, to the
  // users still around; its button is a link, so following it is a click.
  const announcedAt = now - 14 * DAY;
  if (lastSeen > announcedAt && signup < announcedAt && chance(0.7)) {
    const seenAt = announcedAt + int(0, 5) * DAY + int(1, 20) * 3_600_000;
    if (seenAt < lastSeen) {
      const shown = { announcementId: 'velocity-reports', format: 'banner', feature: 'report-velocity' };
      track(user, seenAt, 'Announcement Shown', shown);
      if (chance(0.2)) track(user, seenAt + 30_000, 'Announcement Clicked', shown);
      else if (chance(0.5)) track(user, seenAt + 60_000, 'Announcement Dismissed', shown);
      if (chance(0.15 + engagement * 0.35)) track(user, seenAt + int(1, 72) * 3_600_000, 'Feature Used', { feature: 'report-velocity' });
    }
  }
  if (!paid) return;

  // A failed payment: a banner while past due, the wall after 7 days; most people fix it.
  if (chance(0.12)) {
    const dueAt = signup + int(10, 40) * DAY;
    identify(user, dueAt, { paymentStatus: 'past_due' });
    track(user, dueAt + 3_600_000, 'Payment Prompt Shown', { promptId: 'card-failed', stage: 'banner', daysPastDue: 0 });
    const fixedByBanner = chance(0.5);
    const fixedByWall = !fixedByBanner && chance(0.45);
    if (!fixedByBanner) track(user, dueAt + 7 * DAY, 'Payment Prompt Shown', { promptId: 'card-failed', stage: 'wall', daysPastDue: 7 });
    if (fixedByBanner || fixedByWall) {
      const fixedAt = dueAt + (fixedByBanner ? int(1, 5) : int(7, 9)) * DAY;
      identify(user, fixedAt, { paymentStatus: 'active' });
      track(user, fixedAt + 1000, 'Payment Prompt Resolved', { promptId: 'card-failed', stage: fixedByBanner ? 'banner' : 'wall', daysPastDue: Math.round((fixedAt - dueAt) / DAY) });
    }
  }

  // The annual-plan offer (go-annual) after a month on a monthly plan. The config holds out 10%; the
  // seed uses 15% so the offer-vs-holdout comparison has data.
  const offerAt = signup + 30 * DAY + int(0, 3) * DAY;
  if (offerAt < lastSeen && chance(0.8)) {
    const variant = chance(0.15) ? 'holdout' : 'offer';
    const props = { offerId: 'go-annual', kind: 'annual', percent: 20, variant };
    track(user, offerAt, 'Plan Offer Shown', props);
    if (variant === 'offer' && chance(0.18)) {
      track(user, offerAt + 60_000, 'Plan Offer Accepted', props);
      identify(user, offerAt + 120_000, { billingInterval: 'annual' });
    } else {
      if (variant === 'offer') track(user, offerAt + 60_000, 'Plan Offer Declined', props);
      if (chance(0.04)) identify(user, offerAt + int(2, 20) * DAY, { billingInterval: 'annual' });
    }
  }

  // A pause taken on its own ("Pause subscription" on the billing page).
  if (chance(0.08)) pause(user, signup + int(3, 15) * DAY, 'standalone', 'pause-anytime', 3);
  function pause(u, at, source, offerId, max) {
    const months = chance(0.5) ? 1 : int(1, max);
    const resumesAt = resumeDay(at, months);
    track(u, at, 'Pause Offer Shown', { offerId, months: max, resumesAt: resumeDay(at, max), source });
    track(u, at + 30_000, 'Pause Offer Accepted', { offerId, months, resumesAt, source });
    identify(u, at + 60_000, { status: 'paused' });
    // Most come back when billing resumes; Stripe resumes the subscription and the backend says so.
    const back = Date.parse(`${resumesAt}T00:00:00Z`) + int(0, 2) * DAY;
    if (chance(0.7)) identify(u, back, { status: 'active' });
  }
  return { pause: (at, offer) => pause(user, at, 'cancel-flow', offer.id, Math.min(3, offer.months ?? 1)) };
}
