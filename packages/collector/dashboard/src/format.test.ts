import { describe, expect, it } from 'vitest';
import { ciText, eventTime, npsInterval, percent, rateNote, wilson } from './format.ts';

describe("the NPS card's 95% interval", () => {
  it('is wide for the first two answers, even when both are promoters: two people do not make an NPS of exactly 100', () => {
    const [low, high] = npsInterval({ answers: 2, promoters: 2, detractors: 0 })!;
    expect(high).toBe(100);
    // Two promoters are as likely from a product at NPS 0 as at 100: the card must not say "100 to 100".
    expect(low).toBeLessThan(0);
  });

  it('narrows as answers come, around what they say', () => {
    const few = npsInterval({ answers: 20, promoters: 12, detractors: 4 })!;
    const many = npsInterval({ answers: 2000, promoters: 1200, detractors: 400 })!;
    expect(many[1] - many[0]).toBeLessThan((few[1] - few[0]) / 5);
    // 60% promoters, 20% detractors: NPS 40, within about ±4 from 2,000 answers.
    expect(many[0]).toBeGreaterThan(35);
    expect(many[1]).toBeLessThan(45);
  });

  // The card reads "-100 NPS · n = 1 · 95% CI …": an interval that leaves out the score printed
  // beside it reads as a bug to whoever looks at the card.
  it('after one detractor, reaches down to the -100 shown beside it, and far up', () => {
    const [low, high] = npsInterval({ answers: 1, promoters: 0, detractors: 1 })!;
    expect(low).toBe(-100);
    // No passives: the promoters' Wilson interval, 0 of 1 -> 0 to 79.3%, on the NPS scale: 2·79.3 − 100.
    expect(high).toBeCloseTo(58.7, 1);
  });

  it('after one promoter, reaches up to the 100 shown beside it, and far down', () => {
    const [low, high] = npsInterval({ answers: 1, promoters: 1, detractors: 0 })!;
    expect(high).toBe(100);
    expect(low).toBeCloseTo(-58.7, 1);
  });

  it('for 5 promoters, 3 passives and 2 detractors (NPS 30) is -21.7 to 67.5', () => {
    // Worked by hand at the top end, t = 0.6753 with n = 10: the likeliest detractor share given
    // NPS t solves 20·d² + (17t − 7)·d − 2t(1 − t) = 0, d = 0.0737; the variance of one answer is
    // then 2d + t − t² = 0.3666, and (3 − 10t)² = 14.08 = 1.96²·10·0.3666, the edge of the score
    // test. A numerical maximisation of the likelihood (scipy) gives -21.66 and 67.53.
    const [low, high] = npsInterval({ answers: 10, promoters: 5, detractors: 2 })!;
    expect(low).toBeCloseTo(-21.66, 1);
    expect(high).toBeCloseTo(67.53, 1);
  });

  it('without passives is the Wilson interval of the promoters\' share, on the NPS scale', () => {
    const [low, high] = npsInterval({ answers: 4, promoters: 3, detractors: 1 })!;
    const [p0, p1] = wilson(3, 4)!;
    expect(low).toBeCloseTo(200 * p0 - 100, 6);
    expect(high).toBeCloseTo(200 * p1 - 100, 6);
  });

  it('holds the score shown, stays within -100..100 and is wide, for every mix of the first five answers', () => {
    for (let answers = 1; answers <= 5; answers++) {
      for (let promoters = 0; promoters <= answers; promoters++) {
        for (let detractors = 0; promoters + detractors <= answers; detractors++) {
          const nps = (100 * (promoters - detractors)) / answers;
          const [low, high] = npsInterval({ answers, promoters, detractors })!;
          const what = `${promoters} promoters, ${detractors} detractors of ${answers}: ${low} to ${high}`;
          expect(low, what).toBeLessThanOrEqual(nps);
          expect(high, what).toBeGreaterThanOrEqual(nps);
          expect(low, what).toBeGreaterThanOrEqual(-100);
          expect(high, what).toBeLessThanOrEqual(100);
          // five answers say little: no mix of them pins an NPS to within ±40
          expect(high - low, what).toBeGreaterThan(80);
        }
      }
    }
  });

  it('from many answers is the textbook ±1.96 standard errors', () => {
    // 60% promoters, 20% detractors of 2,000: se = √((0.8 − 0.4²)/2000) = 1.789 points, 40 ± 3.51.
    const [low, high] = npsInterval({ answers: 2000, promoters: 1200, detractors: 400 })!;
    expect(low).toBeCloseTo(36.49, 0);
    expect(high).toBeCloseTo(43.51, 0);
  });

  it('is none without answers', () => {
    expect(npsInterval({ answers: 0, promoters: 0, detractors: 0 })).toBeNull();
  });
});

describe('a rate on the dashboard', () => {
  // "completed 100%" tells the vendor nobody is left to help; "0%" that nobody got there
  it('reads as all or none only when it is: 499 of 500 completions are not "100%", 1 of 500 not "0%"', () => {
    expect([percent(499 / 500), percent(1 / 500), percent(0.9996, 1), percent(0.0004, 1)]).toEqual(['>99%', '<1%', '>99.9%', '<0.1%']);
    expect([percent(1), percent(0), percent(0.5), percent(0.994), percent(0.005)]).toEqual(['100%', '0%', '50%', '99%', '1%']);
  });
});

describe("a rate's 95% interval shown beside it", () => {
  const ends = (text: string) => text.match(/CI (\d+)%?–(\d+)%/)?.slice(1).map(Number);

  it('reads low to high and holds the rate shown, even for a rate the dashboard shows as ">99%" or "<1%"', () => {
    // 4999 of 5000 read ">99%" beside "95% CI 100–>99%"; 499 of 500 "99%–>99%"; 1 of 5000 "<1%–<1%"
    expect([ciText(4999, 5000), rateNote(499, 500), rateNote(1, 5000)]).toEqual([
      '95% CI 99–100%, n = 5,000',
      'n = 500 · 95% CI 98%–100%',
      'n = 5,000 · 95% CI 0%–1%',
    ]);
    for (const n of [1, 2, 3, 7, 30, 199, 500, 5000, 100_000]) {
      for (const k of new Set([0, 1, 2, Math.floor(n / 3), n - 2, n - 1, n].filter((k) => k >= 0 && k <= n))) {
        for (const text of [ciText(k, n), rateNote(k, n)]) {
          const [lo, hi] = ends(text)!;
          for (const digits of [0, 1]) {
            const shown = Number(percent(k / n, digits).replace(/[<>%]/g, ''));
            expect({ k, n, text, inside: lo! <= shown && shown <= hi! }).toEqual({ k, n, text, inside: true });
          }
        }
      }
    }
  });
});

describe('the time of a live event', () => {
  // noon, local time, as the dashboard's clock reads it
  const now = new Date(2026, 11, 7, 12, 0, 0);

  it("is the time alone for today's events", () => {
    const today = new Date(2026, 11, 7, 6, 36, 1);
    expect(eventTime(today.toISOString(), now)).toBe(today.toLocaleTimeString());
  });

  it('carries its date when a device that was offline sends an answer from last week, so it does not read as today\'s', () => {
    const lastWeek = new Date(2026, 10, 28, 6, 36, 1);
    expect(eventTime(lastWeek.toISOString(), now)).toBe(`${lastWeek.toLocaleDateString()} ${lastWeek.toLocaleTimeString()}`);
  });
});
