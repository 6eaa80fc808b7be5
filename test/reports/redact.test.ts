// Goal: API keys and Authorization / x-api-key headers never appear in any report output, while
// ordinary text and numbers survive. Method: the redaction rules on their own, then every writer
// (JSON, HTML, index, Chrome trace, OTLP, JUnit, and the files writeReportSet puts on disk) fed a
// run salted with credentials in messages, values, history, stores, trace data, verdicts and the
// replay command, and searched for the distinctive part of each.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromeTraceJson } from '../../reports/exports/chromeTrace.ts';
import { junitXml } from '../../reports/exports/junit.ts';
import { otlpJson } from '../../reports/exports/otlp.ts';
import { reportHtml } from '../../reports/htmlReport.ts';
import { indexHtml } from '../../reports/indexHtml.ts';
import { buildReport, parseReport, reportJson } from '../../reports/jsonReport.ts';
import { redact, redactText } from '../../reports/redact.ts';
import type { Report } from '../../reports/reportSchema.ts';
import { writeReportSet } from '../../reports/writeReports.ts';
import { SECRET_NEEDLES, SECRETS, secretInput } from './fixtures.ts';

describe('redactText', () => {
  it.each([
    ['OpenAI key', 'my key is sk-live-4f9a8b7c6d5e4f3a2b1c ok', 'my key is [redacted] ok'],
    ['project key', 'sk-proj-Ab12Cd34Ef56Gh78', '[redacted]'],
    ['Anthropic key', 'x sk-ant-api03-AbCdEfGh_Ij-Kl', 'x [redacted]'],
    ['bearer token', 'Authorization: Bearer eyJhbGciOi.abc.def', 'Authorization: [redacted]'],
    ['bearer alone', 'sent Bearer abcdef123456 to it', 'sent Bearer [redacted] to it'],
    ['x-api-key header', 'x-api-key: 77f1e2d3c4', 'x-api-key: [redacted]'],
    ['JSON quoted in a message', 'body {"apiKey":"k3y-9c2e1f0d"}', 'body {"apiKey":"[redacted]"}'],
    ['escaped JSON', String.raw`{\"api_key\":\"k3y-9c2e1f0d\"}`, String.raw`{\"api_key\":\"[redacted]\"}`],
    ['query parameter', 'GET https://x.test/v1?key=AIzaSyA-1234&q=cats', 'GET https://x.test/v1?key=[redacted]&q=cats'],
    ['GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123', '[redacted]'],
    ['AWS key id', 'AKIAABCDEFGHIJKLMNOP', '[redacted]'],
  ])('%s', (_name, input, expected) => {
    expect(redactText(input)).toBe(expected);
    expect(redactText(expected)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'task-management in a risk-assessment',
      'inputTokens: 12',
      'The refund was approved.',
      'sk-1',
      'desk-lamp-with-long-name',
      'password reset instructions',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });
});

describe('redact', () => {
  it('redacts values under secret-named keys, header pairs and headers objects, at any depth', () => {
    const value = {
      headers: new Headers({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'abc', accept: 'json' }),
      nested: [{ apiKey: 'k', api_key: 'k', 'X-Api-Key': 'k', client_secret: 'k', password: 'k', token: 'k', maxTokens: 5, inputTokens: 3 }],
      pairs: [
        ['Authorization', 'opaque-value'],
        ['accept', 'json'],
      ],
      empty: { apiKey: '', token: null },
    };
    expect(redact(value)).toEqual({
      headers: { accept: 'json', authorization: '[redacted]', 'x-api-key': '[redacted]' },
      nested: [
        {
          apiKey: '[redacted]',
          api_key: '[redacted]',
          'X-Api-Key': '[redacted]',
          client_secret: '[redacted]',
          password: '[redacted]',
          token: '[redacted]',
          maxTokens: 5,
          inputTokens: 3,
        },
      ],
      pairs: [
        ['Authorization', '[redacted]'],
        ['accept', 'json'],
      ],
      empty: { apiKey: '', token: null },
    });
  });

  it('makes anything plain JSON: errors, maps, bigints, cycles, and hostile keys stay data', () => {
    const cycle: Record<string, unknown> = { n: 1n, inf: Number.POSITIVE_INFINITY, when: new Date(0), fn: () => 1 };
    cycle.self = cycle;
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const out = redact({ cycle, error: new TypeError(`bad ${SECRETS.openai}`), map: new Map([['k', 'v']]), hostile }) as Record<string, unknown>;
    expect(out).toEqual({
      cycle: { n: '1n', inf: 'Infinity', when: '1970-01-01T00:00:00.000Z', self: '[circular]' },
      error: { name: 'TypeError', message: 'bad [redacted]' },
      map: { k: 'v' },
      hostile: expect.anything(),
    });
    expect(Object.keys(out.hostile as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('no writer lets a credential through', () => {
  let report: Report;
  beforeAll(async () => {
    report = buildReport(await secretInput());
  });

  const leaks = (output: string) => SECRET_NEEDLES.filter((needle) => output.includes(needle));

  it('the fixture really carries the secrets into the report input', async () => {
    expect(leaks(JSON.stringify((await secretInput()).result, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))).toEqual(SECRET_NEEDLES);
  });

  it.each([
    ['JSON report', (r: Report) => reportJson(r)],
    ['HTML report', (r: Report) => reportHtml(r)],
    ['index page', (r: Report) => indexHtml([{ href: 'r.html', report: r }])],
    ['Chrome trace', (r: Report) => chromeTraceJson(r)],
    ['OTLP', (r: Report) => otlpJson(r)],
    ['JUnit', (r: Report) => junitXml([r])],
  ])('%s', (_name, write) => {
    const output = write(report);
    expect(leaks(output)).toEqual([]);
    expect(output).toContain('[redacted]');
  });

  it('even when handed a report that was never redacted (built by hand or edited on disk)', () => {
    const raw = JSON.parse(JSON.stringify(report)) as Report & { message: string };
    const dirty = {
      ...raw,
      message: `key ${SECRETS.openai}`,
      replay: `curl -H "x-api-key: ${SECRETS.header}"`,
      value: { Authorization: SECRETS.bearer },
    } as Report;
    for (const output of [
      reportJson(dirty),
      reportHtml(dirty),
      indexHtml([{ href: 'x.html', report: dirty }]),
      chromeTraceJson(dirty),
      otlpJson(dirty),
      junitXml([dirty]),
    ]) {
      expect(leaks(output)).toEqual([]);
    }
    expect(leaks(JSON.stringify(parseReport(JSON.parse(JSON.stringify(dirty)))))).toEqual([]);
  });

  it('in every file written to disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-secrets-'));
    await writeReportSet(dir, [await secretInput()]);
    const files = readdirSync(dir);
    expect(files.sort()).toEqual([
      'index.html',
      'junit.xml',
      'reports-deadlock-demo.naive.seed-7.html',
      'reports-deadlock-demo.naive.seed-7.json',
      'reports-deadlock-demo.naive.seed-7.otlp.json',
      'reports-deadlock-demo.naive.seed-7.trace.json',
    ]);
    for (const file of files) expect({ file, leaks: leaks(readFileSync(path.join(dir, file), 'utf8')) }).toEqual({ file, leaks: [] });
  });
});
