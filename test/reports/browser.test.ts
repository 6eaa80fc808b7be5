// Goal: the HTML report of a failing run works in a real browser, offline: it renders, has a lane
// per actor and the fault markers, highlights the violating spans, and shows script and markup
// planted in model and tool output as inert text. Method: write the reports of a deadlocked run
// (test/reports/fixtures.ts) to reports/out/browser, open them over file:// in headless Chromium
// driven by playwright-core, inspect the DOM, and attach screenshots to the test output.
// The browser comes from the npm registry (@sparticuz/chromium ships one inside the package), so
// `npm ci && npm test` needs nothing else; FAULTLINE_CHROMIUM=/path/to/chromium uses a system one
// instead, and FAULTLINE_SKIP_BROWSER=1 skips the test.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../harness/index.ts';
import { type WrittenReportSet, writeReportSet } from '../../reports/writeReports.ts';
import { launchBrowser, skipBrowser } from './chromium.ts';
import { deadlockInput, XSS_IMG, XSS_SCRIPT } from './fixtures.ts';

const OUT = path.resolve('reports/out/browser');

describe.skipIf(skipBrowser)('HTML report in headless chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let close: (() => Promise<void>) | undefined;
  let written: WrittenReportSet;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    written = await writeReportSet(OUT, [await deadlockInput()], 'Faultline reports: browser test');
    ({ context, close } = await launchBrowser());
    context.on('request', (r) => requests.push(r.url()));
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(written.reports[0]?.html ?? '').href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await close?.();
  });

  it('renders the failing run, offline, without errors', async () => {
    expect(await page.title()).toBe('FAILED · reports/deadlock-demo × naive · seed 7');
    await expect(page.locator('h1').textContent()).resolves.toContain('reports/deadlock-demo');
    expect(await page.locator('#message').textContent()).toMatch(/^Deadlock at t=550ms: executor waits for lock "ledger" held by planner/);
    expect(await page.locator('#replay').textContent()).toBe('npx faultline replay --scenario reports/deadlock-demo --agent naive --seed 7');
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('has a lane per actor and the fault markers where they hit', async () => {
    expect(await page.locator('#timeline .lane[data-actor]').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-actor')))).toEqual([
      'main',
      'planner',
      'executor',
    ]);
    const faults = page.locator('#timeline .mark.fault');
    expect(
      await faults.evaluateAll((marks) =>
        marks.map((m) => [m.closest('.lane')?.getAttribute('data-actor'), m.getAttribute('data-rule'), m.getAttribute('data-kind'), m.textContent]),
      ),
    ).toEqual([
      ['planner', 'latency@llm:*', 'latency', '⚡ latency@llm:*'],
      ['executor', 'tool-outage', 'error', '⚡ tool-outage · error'],
    ]);
    for (const mark of await faults.all()) expect(await mark.isVisible()).toBe(true);
    await expect(page.locator('#timeline .span[data-kind="llm"]').first().isVisible()).resolves.toBe(true);
  });

  it('highlights the violating spans', async () => {
    const violating = page.locator('#timeline .span.violating');
    const spans = await violating.evaluateAll((els) =>
      els.map((el) => ({
        span: Number(el.getAttribute('data-span')),
        kind: el.getAttribute('data-kind'),
        outline: getComputedStyle(el).outlineStyle,
        color: getComputedStyle(el).outlineColor,
      })),
    );
    expect(spans.map((s) => s.kind).sort()).toEqual(['lock', 'lock', 'store']);
    for (const s of spans) expect(s).toMatchObject({ outline: 'solid', color: 'rgb(214, 69, 69)' });
    for (const el of await violating.all()) expect(await el.isVisible()).toBe(true);
    expect(await page.locator('#history tr.violating').count()).toBe(1);
    expect(await page.locator('#verdicts tr.violating').count()).toBe(2);
  });

  it('does not run script or markup planted in model and tool output, and shows it as text', async () => {
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').evaluateAll((els) => els.map((e) => e.getAttribute('type')))).toEqual(['application/json']);
    expect(await page.locator('#history').textContent()).toContain(`Order A-7 looks fine. ${XSS_SCRIPT} ${XSS_IMG}`);
    expect(await page.locator('#spans').textContent()).toContain('upstream said <img src=x onerror=');
    expect(await page.locator('#verdicts').textContent()).toContain(XSS_SCRIPT);
    const embedded = await page.evaluate(
      () => JSON.parse(document.getElementById('faultline-report')?.textContent ?? 'null') as { history: Array<{ value?: unknown }> },
    );
    expect(embedded.history[2]?.value).toBe(`Order A-7 looks fine. ${XSS_SCRIPT} ${XSS_IMG}`);
  });

  it('saves screenshots of the report and its timeline', async ({ annotate }) => {
    const full = path.join(OUT, 'deadlock-report.png');
    const timeline = path.join(OUT, 'deadlock-timeline.png');
    await page.screenshot({ path: full, fullPage: true });
    await page.locator('#timeline').screenshot({ path: timeline });
    // Inline bodies: an attachment given by path is copied into .vitest-attachments/ at the project root.
    await annotate(`timeline screenshot: ${path.relative(process.cwd(), timeline)}`, { body: readFileSync(timeline), contentType: 'image/png' });
    await annotate(`full report screenshot: ${path.relative(process.cwd(), full)}`);
    console.log(`screenshots: ${full} ${timeline}`);
    expect(existsSync(full) && existsSync(timeline)).toBe(true);
  });

  it('wraps long unbroken strings instead of widening the page', async () => {
    const long = 'x'.repeat(35_000);
    const result = await simulate(async (w) => {
      await w.stores.kv('notes').set(long, long);
      throw new Error(`upstream said ${long}`);
    });
    const set = await writeReportSet(path.join(OUT, 'long'), [
      { scenario: { name: `long ${long}`, file: 'x' }, agent: 'naive', result, verdicts: [{ property: 'gracefulDegradation', ok: false, message: long }] },
    ]);
    const wide = await context.newPage();
    await wide.goto(pathToFileURL(set.reports[0]?.html ?? '').href, { waitUntil: 'load' });
    const width = await wide.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(1400);
    await wide.close();
  });

  it('links from the index page to the report, and the JUnit file parses as XML', async () => {
    const index = await context.newPage();
    await index.goto(pathToFileURL(written.index).href);
    const row = index.locator('tr[data-scenario="reports/deadlock-demo"]');
    expect(await row.locator('.badge.fail').allTextContents()).toEqual(['FAILED', 'deadlock', 'no-deadlock', 'no-untrusted-markup-in-stores']);
    await row.locator('a').click();
    await index.waitForURL(/\.html$/);
    expect(index.url()).toBe(pathToFileURL(written.reports[0]?.html ?? '').href);
    // The browser's own XML parser is the referee for well-formedness.
    const parsed = await index.evaluate(
      (xml) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        return { errors: doc.getElementsByTagName('parsererror').length, failures: doc.getElementsByTagName('failure').length };
      },
      readFileSync(written.junit, 'utf8'),
    );
    expect(parsed).toEqual({ errors: 0, failures: 2 });
    await index.close();
  });
});
