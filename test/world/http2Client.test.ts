// Goal: clients that speak node:http2 (the AWS SDK's Bedrock client does by default) are served by
// the world in global mode like every other request, and refused with a clear error, without
// crashing the process, outside it. Method: a raw http2 client against an msw handler, in both modes.
import http2 from 'node:http2';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { simulate, spansOf } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

const handlers = () => [
  http.post('https://inventory.test/items', async ({ request }) => HttpResponse.json({ got: await request.json() }, { status: 201, headers: { 'x-id': '7' } })),
];

function post(): Promise<{ status: unknown; id: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect('https://inventory.test');
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': '/items', 'content-type': 'application/json' });
    let status: unknown;
    let id: unknown;
    let body = '';
    stream.on('response', (headers) => {
      status = headers[':status'];
      id = headers['x-id'];
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => {
      session.close();
      resolve({ status, id, body });
    });
    stream.on('error', reject);
    stream.end(JSON.stringify({ sku: 'A-1' }));
  });
}

describe('node:http2 clients', () => {
  it('are served by the world in global mode, as the main actor, deterministically', async () => {
    const r = await expectDeterministic((seed) => simulate(post, { seed, network: 'global', handlers }), 3);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual({ status: 201, id: '7', body: '{"got":{"sku":"A-1"}}' });
    expect(
      spansOf(r.trace)
        .filter((s) => s.kind === 'fetch')
        .map((s) => [s.actor, s.data.url, s.data.status]),
    ).toEqual([['main', 'https://inventory.test/items', 201]]);
  });

  it('are refused outside global mode with an error naming the host, and the process carries on', async () => {
    const r = await simulate(post, { handlers });
    expect(r.outcome).toBe('threw');
    expect(r.problems.map((p) => p.kind)).toEqual(['real-network']);
    expect(String(r.error)).toContain('connection to https://inventory.test, made through node:http2');
  });
});
