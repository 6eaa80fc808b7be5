// Goal: the HTML report and index are self-contained pages in which untrusted text is only ever
// text, with a lane per actor, faults where they hit and the violating spans flagged. Method: the
// escaping primitives on their own, the timeline's geometry, then the pages of a real failing run
// searched for raw markup from the payloads planted in its model and tool output. The browser
// test (browser.test.ts) checks the same pages as a browser renders them.
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, html, joinHtml, jsonInScript, SafeHtml } from '../../reports/html.ts';
import { reportHtml } from '../../reports/htmlReport.ts';
import { indexHtml, safeHref } from '../../reports/indexHtml.ts';
import { buildReport } from '../../reports/jsonReport.ts';
import type { Report } from '../../reports/reportSchema.ts';
import { formatUsd } from '../../reports/spendChart.ts';
import { buildTimeline, formatMs, ticks } from '../../reports/timelineModel.ts';
import { deadlockInput, XSS_IMG, XSS_SCRIPT } from './fixtures.ts';

let report: Report;
let page: string;

beforeAll(async () => {
  report = buildReport(await deadlockInput());
  page = reportHtml(report);
});

describe('escaping', () => {
  it('escapes markup characters, and replaces characters HTML and XML cannot carry', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\uD800c')).toBe('a\uFFFDb\uFFFDc');
    expect(escapeHtml('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('html`` escapes every interpolation, nests its own output, and cannot be forged', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(String(html`<p title="${'"x"'}">${inner}${['<', 1, null, undefined, false]}${Number.NaN}</p>`)).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;10</p>',
    );
    expect(() => new SafeHtml('<script>', Symbol('SafeHtml'))).toThrow(/made by the html`` template only/);
    const lookalike = { toString: () => '<script>' } as unknown as string;
    expect(String(html`${lookalike}`)).toBe('&lt;script&gt;');
    expect(String(joinHtml(['<b>' as unknown as SafeHtml, html`<i></i>`]))).toBe('&lt;b&gt;<i></i>');
    expect(() => html(Object.assign(['<b>'], { raw: ['<b>'] }) as unknown as TemplateStringsArray)).toThrow(/must be used as a tag/);
  });

  it('embeds JSON that cannot close its script block', () => {
    const text = String(jsonInScript({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028' }));
    expect(text).not.toMatch(/[<>]/);
    expect(JSON.parse(text)).toEqual({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028' });
  });
});

describe('HTML report', () => {
  it('is one self-contained page: no external resources, no executable script, a policy that forbids both', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="faultline-report">']);
    expect(page).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'"`.replaceAll("'", '&#39;'),
    );
  });

  it('shows the planted payloads as text only', () => {
    expect(page).not.toContain(XSS_SCRIPT);
    expect(page).not.toContain(XSS_IMG);
    expect(page).toContain(escapeHtml(XSS_SCRIPT));
    expect(page).toContain(escapeHtml('upstream said <img src=x onerror='));
  });

  it('embeds the report itself, readable back out of the page', () => {
    const json = /<script type="application\/json" id="faultline-report">(.*?)<\/script>/s.exec(page)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual(report);
  });

  it('has a lane per actor, fault marks with rule and kind, and the violating spans flagged', () => {
    expect([...page.matchAll(/class="lane[^"]*" data-actor="([^"]*)"/g)].map((m) => m[1])).toEqual(['main', 'planner', 'executor']);
    expect(page).toMatch(/class="mark fault" data-mark="fault" data-rule="tool-outage" data-kind="error"/);
    expect(page).toMatch(/class="mark fault" data-mark="fault" data-rule="latency@llm:\*" data-kind="latency"/);
    const flagged = [...page.matchAll(/class="span [^"]*violating[^"]*" href="#span-(\d+)"/g)].map((m) => Number(m[1]));
    expect(flagged.sort((a, b) => a - b)).toEqual([...buildTimeline(report).violatingSpans].sort((a, b) => a - b));
    expect(flagged.length).toBe(3);
    expect(page).toContain('id="replay"><code>npx faultline replay --scenario reports/deadlock-demo --agent naive --seed 7</code>');
  });
});

describe('timeline geometry', () => {
  it('packs concurrent calls into rows and flags spans behind failed verdicts, through their history ops too', () => {
    const timeline = buildTimeline(report);
    const executor = timeline.lanes.find((l) => l.actor === 'executor');
    const rows = new Map<number, Array<[number, number]>>();
    for (const s of executor?.spans ?? []) rows.set(s.row, [...(rows.get(s.row) ?? []), [s.span.start, s.span.end ?? 0]]);
    for (const intervals of rows.values()) {
      for (let i = 1; i < intervals.length; i++)
        expect((intervals[i] as [number, number])[0]).toBeGreaterThanOrEqual((intervals[i - 1] as [number, number])[1]);
    }
    const store = timeline.lanes.flatMap((l) => l.spans).find((s) => s.span.kind === 'store' && s.span.data.key === 'summary');
    expect(store?.violating).toBe(true);
    expect(timeline.axisMs).toBeGreaterThan(timeline.totalMs);
  });

  it('shows fault coverage per rule, and a rule that tested nothing with the nearest target', () => {
    expect(page).toMatch(/<section id="coverage"><h2>Fault coverage<\/h2>/);
    expect(page).toMatch(
      /<tr class="" data-rule="tool-outage"><td class="mono">tool-outage<\/td><td>error<\/td><td class="mono">tool:lookup_order<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num">1<\/td>/,
    );
    const coverage = report.coverage as NonNullable<Report['coverage']>;
    const typo = { ...coverage, unmatched: [{ rule: 'error@tool:lookupOrder', target: 'tool:lookupOrder', nearest: 'tool:lookup_order' }] };
    const rules = [
      ...coverage.rules,
      {
        ...(coverage.rules[0] as (typeof coverage.rules)[number]),
        rule: 'error@tool:lookupOrder',
        target: 'tool:lookupOrder',
        matched: 0,
        fired: 0,
        changed: 0,
        visited: false,
      },
    ];
    const flagged = reportHtml({ ...report, coverage: { ...typo, rules } });
    expect(flagged).toMatch(/<tr class="violating" data-rule="error@tool:lookupOrder">.*matched no yield point; did you mean tool:lookup_order\?/);
  });

  it('formats virtual time, dollars and ticks for people', () => {
    expect([formatMs(850), formatMs(12_500), formatMs(200_000), formatMs(120_000)]).toEqual(['850ms', '12.5s', '3m 20s', '2m']);
    // Rounding happens before the split: never "9m 60s" or "60s" or "1000ms".
    expect([formatMs(599_999), formatMs(599_950), formatMs(59_999.9), formatMs(999.9996), formatMs(86_400_000), formatMs(3_723_000)]).toEqual([
      '10m',
      '10m',
      '1m',
      '1s',
      '24h',
      '1h 2m',
    ]);
    expect([formatUsd(0), formatUsd(0.00002295), formatUsd(1.5), formatUsd(0.0123)]).toEqual(['$0', '$0.00002295', '$1.50', '$0.0123']);
    expect(ticks(550)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(ticks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('what a report page says', () => {
  it('shows each tool span with its arguments and its result or error, escaped', () => {
    expect(report.toolCalls?.map((c) => [c.tool, c.outcome])).toEqual([
      ['lookup_order', 'error'],
      ['lookup_order', 'ok'],
    ]);
    expect(page).toContain('<div class="tool-args">args {&quot;orderId&quot;:&quot;A-7&quot;}</div>');
    expect(page).toContain('<div class="tool-result">→ {&quot;orderId&quot;:&quot;A-7&quot;,&quot;total&quot;:120.5}</div>');
    expect(page).toMatch(/<div class="tool-error">✗ ToolError: Tool &quot;lookup_order&quot; failed: [^<]*&lt;img src=x/);
  });

  it('shows a run that ended normally but failed a property as neutral "ended ok" beside FAILED, never a green pill', () => {
    const endedOk = reportHtml({ ...report, outcome: 'ok', passed: false });
    expect(endedOk).toContain('<span class="badge fail">FAILED</span>');
    expect(endedOk).toContain('<span class="badge info" data-outcome="ok">ended ok</span>');
    expect(endedOk).not.toMatch(/class="badge pass"[^>]*data-outcome/);
  });
});

describe('index page', () => {
  it('links each report with outcome and verdict badges, failures first', () => {
    const passing = { ...report, agent: 'hardened', passed: true, outcome: 'ok' as const, verdicts: [{ property: 'no-deadlock', ok: true, message: 'held' }] };
    const index = indexHtml([
      { href: 'b/hardened report.html', report: passing },
      { href: 'a.html', report },
    ]);
    expect([...index.matchAll(/<a href="([^"]*)">/g)].map((m) => m[1])).toEqual(['a.html', 'b/hardened%20report.html']);
    expect(index).toContain('<span class="badge fail">1 failed</span>');
    expect(index).toMatch(/data-outcome="deadlock">deadlock<\/span>/);
    expect(index).toContain(`title="${escapeHtml(report.verdicts[1]?.message ?? '')}">no-untrusted-markup-in-stores</span>`);
    expect(index).not.toContain(XSS_SCRIPT);
  });

  it('colours rows by whether the expectation held: a naive agent that failed as expected is green', () => {
    const naive = { ...report, agent: 'naive', expected: 'fail' as const };
    const hardened = {
      ...report,
      agent: 'hardened',
      passed: true,
      outcome: 'ok' as const,
      expected: 'pass' as const,
      verdicts: [{ property: 'no-deadlock', ok: true, message: 'held' }],
    };
    const held = indexHtml([
      { href: 'n.html', report: naive },
      { href: 'h.html', report: hardened },
    ]);
    expect(held).toContain('<span class="badge pass">2 of 2 expectations held</span>');
    expect(held).toContain('>failed, as expected</span>');
    expect(held).toContain('>passed, as expected</span>');
    expect(held).not.toContain('class="violating"');
    const broken = indexHtml([{ href: 'n.html', report: { ...naive, passed: true } }]);
    expect(broken).toContain('<span class="badge fail">1 expectation broken</span>');
    expect(broken).toContain('>passed, expected to fail</span>');
  });

  it('refuses links that are not relative paths', () => {
    expect(['javascript:alert(1)', 'JaVaScRiPt:x', 'https://evil.test/', '//evil.test', 'data:text/html,x', 'a\\b'].map(safeHref)).toEqual([
      '#',
      '#',
      '#',
      '#',
      '#',
      '#',
    ]);
    expect(safeHref('x/"><script>.html')).toBe('x/%22%3E%3Cscript%3E.html');
  });
});
