import type { Browser, Page } from 'playwright-core';
import { buildDashboard } from '../test-support/dashboard-build.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../../../../scripts/chromium.mjs';
import { msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';

const skipReason = findChromium() ? undefined : 'no Chromium (node scripts/ensure-chromium.mjs installs it)';
const t = (when: string) => `2026-${when}:00.000Z`;

interface Violation {
  directive: string;
  blocked: string;
}

declare global {
  interface Window {
    cspViolations?: Violation[];
    smuggled?: string[];
  }
}

/**
 * The dashboard shows what end users wrote (survey answers, churn reasons). Its policy lets only
 * its own files run: the built page must work under it untouched, and a script that reached the
 * page any other way must not run.
 */
describe.skipIf(skipReason !== undefined)(`the dashboard's content security policy in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let built: Awaited<ReturnType<typeof buildDashboard>> | undefined;
  let collector: TestCollector;
  let browser: Browser;
  let page: Page;
  let key: string;

  beforeAll(async () => {
    built = await buildDashboard();
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, dashboardDir: built.dir });
    key = collector.nextKey();
    await seed(collector.url, key, [
      msg.identify('ana', { plan: 'pro' }, t('03-02T09:00')),
      msg.track('ana', 'Feature Used', t('03-02T10:00'), { feature: 'export' }),
      // an end user's answer written as markup: the page shows it as text
      msg.track('ana', 'Survey Answered', t('03-03T11:00'), {
        surveyId: 'nps', kind: 'nps', score: 10, comment: '<img src=x onerror="(window.smuggled ??= []).push(\'comment\')">Love it',
      }),
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Chromium reports each thing the policy blocks to the page: kept for the tests to read.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window.cspViolations ??= []).push({ directive: event.effectiveDirective, blocked: event.blockedURI });
      });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await built?.remove();
  });

  const stat = (card: string, label: string) =>
    page.getByRole('region', { name: card }).locator('.stat', { has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.stat-value');
  const violations = () => page.evaluate(() => window.cspViolations ?? []);

  it('signs the vendor in and shows every card and its styles, with nothing blocked', async () => {
    const response = await page.goto(`${collector.url}/?key=${key}&from=2026-03-01&to=2026-03-07`);
    expect(response?.headers()['content-security-policy']).toMatch(/(^|; )script-src 'self'(;|$)/);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(collector.admin.email);
    await form.getByLabel('Password').fill(collector.admin.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => stat('Feature adoption', 'active users').textContent()).toBe('1');
    await expect.poll(() => stat('Satisfaction', 'NPS').textContent()).toBe('100');
    await expect.poll(() => page.getByText('Love it', { exact: false }).count()).toBeGreaterThan(0);
    // the stylesheet applied: the cards are laid out, not unstyled text
    expect(await page.getByRole('region', { name: 'Feature adoption' }).evaluate((card) => getComputedStyle(card).display)).not.toBe('inline');
    await page.getByRole('button', { name: 'Keys & tokens' }).click();
    await page.getByRole('region', { name: 'Keys and tokens' }).getByRole('listitem').first().waitFor();
    expect(await page.evaluate(() => window.smuggled)).toBeUndefined();
    expect(await violations()).toEqual([]);
  });

  it('runs no inline script, no inline event handler and no script from elsewhere put into the page', async () => {
    await page.evaluate(() => {
      const inline = document.createElement('script');
      inline.textContent = "(window.smuggled ??= []).push('inline script')";
      document.body.append(inline);
      const handler = document.createElement('img');
      handler.setAttribute('onerror', "(window.smuggled ??= []).push('event handler')");
      handler.src = 'missing.png';
      document.body.append(handler);
      const foreign = document.createElement('script');
      foreign.src = 'https://scripts.example.test/steal.js';
      document.body.append(foreign);
    });
    // what ran, and what the policy reported blocking, once all three were tried
    const outcome = async () => ({
      ran: (await page.evaluate(() => window.smuggled)) ?? [],
      blocked: (await violations()).map((v) => `${v.directive} ${v.blocked}`).sort(),
    });
    await expect.poll(outcome).toEqual({
      ran: [],
      blocked: ['script-src-attr inline', 'script-src-elem https://scripts.example.test/steal.js', 'script-src-elem inline'],
    });
  });
});
