import { describe, expect, it } from 'vitest';
import { npsInterval } from './format.ts';

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

  it('is none without answers', () => {
    expect(npsInterval({ answers: 0, promoters: 0, detractors: 0 })).toBeNull();
  });
});
