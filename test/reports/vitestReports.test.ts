// Goal: the path from a red chaos test to a picture works without rewriting anything: a failing
// chaosTest writes its report, its message names the HTML file, the reporter indexes the session's
// reports, GitHub's job summary gets the property, reason, plan and replay command, and the page
// opened in a browser shows the violation. Method: the failing fixture (test/fixtures/refund.test.ts)
// in a child vitest with faultline/vitest/reporter, reports in a temporary folder, then the named
// HTML page and the index in headless Chromium, with screenshots attached.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, skipBrowser } from './chromium.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'faultline-vitest-reports-'));
const summary = path.join(dir, 'step-summary.md');
let output = '';
let html = '';

beforeAll(() => {
  const child = spawnSync('npx', ['vitest', 'run', 'test/fixtures/refund.test.ts', '--reporter=default', '--reporter=./harness/vitestReporter.ts'], {
    encoding: 'utf8',
    timeout: 240_000,
    env: {
      ...process.env,
      FAULTLINE_FIXTURES: '1',
      FAULTLINE_REPORTS_DIR: dir,
      GITHUB_STEP_SUMMARY: summary,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      FAULTLINE_SEED: '',
      FAULTLINE_PATH: '',
      FAULTLINE_RUNS: '',
    },
  });
  output = `${child.stdout}\n${child.stderr}`;
  expect(child.status, output).toBe(1);
  html = /Report:\n\s+(\S+\.html) {2}\(file:\/\//.exec(output)?.[1] ?? '';
}, 300_000);

describe('reports from a failing chaos test in vitest', () => {
  it('writes the report files and names the HTML page in the failure message', () => {
    expect(html, output).toMatch(/refund-status-under-tool-and-provider-faults\.seed-\d+\.html$/);
    const seed = /FAULTLINE_SEED=(\d+)/.exec(output)?.[1];
    expect(html).toContain(`.seed-${seed}.html`);
    for (const ext of ['.html', '.json', '.trace.json', '.otlp.json']) expect(existsSync(path.resolve(html.replace(/\.html$/, ext)))).toBe(true);
  });

  it('indexes the session’s reports with the reporter, and writes JUnit', () => {
    expect(output).toMatch(/\[faultline\] 1 failing chaos test report: .*index\.html/);
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).toContain(`href="${path.basename(html)}"`);
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toContain('<failure');
  });

  it('writes a GitHub job summary with the property, the reason, the plan and the replay command', () => {
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^### ❌ Faultline: `refund status under tool and provider faults` failed `gracefulDegradation`/m);
    expect(md).toMatch(/- `gracefulDegradation`: `The agent did not answer: .+`/);
    expect(md).toMatch(/- Minimal fault plan \(1 rule\): `\[\{"target":"tool:search_orders","kind":"error"/);
    expect(md).toMatch(/- Replay: `FAULTLINE_SEED=\d+ FAULTLINE_PATH=[\d:]+ npx vitest run test\/fixtures\/refund\.test\.ts -t '.+'`/);
    expect(md).toContain(`- Report: \`${html}\``);
  });
});

describe.skipIf(skipBrowser)('the report the message names, in a browser', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the violated property and the fault, and the index links to it; screenshots attached', async ({ annotate }) => {
    const page = await (browser as NonNullable<typeof browser>).context.newPage();
    await page.goto(pathToFileURL(path.resolve(html)).href);
    expect(await page.title()).toMatch(/^FAILED · refund status under tool and provider faults · seed \d+$/);
    const violated = page.locator('#verdicts tr.violating[data-property="gracefulDegradation"]');
    await expect(violated.count()).resolves.toBe(1);
    expect(await violated.textContent()).toContain('The agent did not answer');
    expect(await page.locator('#timeline .mark.fault').count()).toBeGreaterThan(0);
    expect(await page.locator('#replay').textContent()).toMatch(/^FAULTLINE_SEED=\d+ FAULTLINE_PATH=/);
    const shot = path.join(dir, 'vitest-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    await annotate('report of a failing chaos test', { body: readFileSync(shot), contentType: 'image/png' });
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    expect(await page.locator('tr.violating a').getAttribute('href')).toBe(path.basename(html));
    const indexShot = path.join(dir, 'vitest-index.png');
    await page.screenshot({ path: indexShot, fullPage: true });
    await annotate('index of the session’s failing chaos tests', { body: readFileSync(indexShot), contentType: 'image/png' });
  });
});
