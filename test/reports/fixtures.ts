// Runs the report tests share: a failing multi-actor run (an LLM whose output carries an XSS
// payload into a store, a tool whose fault message carries another, and a lock-order deadlock),
// its verdicts, and a copy of it salted with credentials that no writer may let through.
import { z } from 'zod';
import { defineTool, type RunResult, rules, simulate, spansOf, type World } from '../../harness/index.ts';
import type { ReportInput, Verdict } from '../../reports/types.ts';

export const XSS_SCRIPT = '<script>window.__pwned = true</script>';
export const XSS_IMG = '<img src=x onerror="window.__pwned = true">';

const lookup = defineTool({
  name: 'lookup_order',
  description: 'Finds an order by id',
  input: z.object({ orderId: z.string() }),
  handler: ({ orderId }) => ({ orderId, total: 120.5 }),
});

/** Two actors that take the same two locks in opposite orders, after some LLM, tool and store work. */
async function agent(world: World): Promise<unknown> {
  const planner = world.spawn('planner', async (w) => {
    const answer = await w.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Summarise order A-7' }] });
    await w.stores.kv('notes').set('summary', answer.text);
    const ledger = await w.mutex('ledger').lock();
    await w.sleep(100);
    const audit = await w.mutex('audit').lock();
    audit();
    ledger();
  });
  const executor = world.spawn('executor', async (w) => {
    await w.sleep(120);
    await w.tools.call('lookup_order', { orderId: 'A-7' }).catch(() => undefined);
    const again = await w.tools.call<{ total: number }>('lookup_order', { orderId: 'A-7' });
    await w.stores.kv('notes').set('total', again.total);
    // Take the second lock while the planner holds the first: it has it from about t=400ms.
    await w.sleep(450 - w.now());
    const audit = await w.mutex('audit').lock();
    await w.sleep(100);
    const ledger = await w.mutex('ledger').lock();
    ledger();
    audit();
  });
  return Promise.all([planner, executor]);
}

export function deadlockRun(seed = 7): Promise<RunResult> {
  return simulate(agent, {
    seed,
    scenario: 'reports/deadlock-demo',
    tools: [lookup],
    // Fixed generation time, so the planner holds its first lock at the same virtual time on every seed.
    llm: {
      models: { 'gpt-4o-mini': rules(() => `Order A-7 looks fine. ${XSS_SCRIPT} ${XSS_IMG}`) },
      timing: { firstTokenMs: { kind: 'fixed', ms: 100 }, perTokenMs: 0 },
    },
    faults: [
      { id: 'tool-outage', target: 'tool:lookup_order', kind: 'error', when: { calls: [0] }, params: { message: `upstream said ${XSS_IMG}` } },
      { target: 'llm:*', kind: 'latency', params: { latency: { kind: 'fixed', ms: 300 } } },
    ],
  });
}

/** Verdicts as the property runner would give them: the deadlock and the tainted store write fail. */
export function verdictsFor(result: RunResult): Verdict[] {
  const spans = spansOf(result.trace);
  const stuck = spans.filter((s) => s.kind === 'lock' && s.outcome === 'unfinished').map((s) => s.span);
  const write = result.history.find((h) => h.type === 'invoke' && h.key === 'summary');
  return [
    { property: 'no-deadlock', ok: false, message: result.cycle?.sentence ?? result.message, spans: stuck },
    {
      property: 'no-untrusted-markup-in-stores',
      ok: false,
      message: `The model's output reached store "notes" unfiltered: ${XSS_SCRIPT}`,
      ops: write === undefined ? [] : [write.index],
    },
    { property: 'bounded-spend', ok: true, message: 'Spend stayed under $0.01.' },
  ];
}

export async function deadlockInput(): Promise<ReportInput> {
  const result = await deadlockRun();
  return {
    scenario: {
      name: 'reports/deadlock-demo',
      failureMode: 'deadlock',
      description: 'Two agents take two locks in opposite orders.',
      file: 'test/reports/fixtures.ts',
    },
    agent: 'naive',
    result,
    verdicts: verdictsFor(result),
    replay: 'npx faultline replay --scenario reports/deadlock-demo --agent naive --seed 7',
    runs: { total: 40, failed: 9, firstFailureAt: 3, shrinkSteps: 5 },
  };
}

export const SECRETS = {
  openai: 'sk-live-4f9a8b7c6d5e4f3a2b1c',
  anthropic: 'sk-ant-api03-AbCdEfGhIjKlMnOp',
  bearer: 'Bearer eyJhbGciOiJIUzI1NiJ9.abc.def',
  apiKey: 'k3y-9c2e1f0d-b7a6-4e5d',
  header: 'x-api-key-value-77f1e2d3',
} as const;

/** The fixture with credentials planted in every place a run or its caller can put them. */
export async function secretInput(): Promise<ReportInput> {
  const base = await deadlockInput();
  const r = base.result;
  const trace = [
    ...r.trace.slice(0, -1),
    {
      type: 'mark' as const,
      name: 'echo',
      actor: 'planner',
      seq: r.trace.length - 1,
      t: 0,
      data: { authorization: SECRETS.bearer, note: `key ${SECRETS.openai}`, api_key: SECRETS.apiKey },
    },
    { ...(r.trace.at(-1) as RunResult['trace'][number]), seq: r.trace.length },
  ];
  const result: RunResult = {
    ...r,
    trace,
    message: `${r.message} (request had x-api-key: ${SECRETS.header})`,
    value: { headers: { Authorization: SECRETS.bearer, 'x-api-key': SECRETS.header }, apiKey: SECRETS.apiKey, text: `use ${SECRETS.anthropic}` },
    history: r.history.map((h, i) => (i === 0 ? { ...h, value: { config: { apiKey: SECRETS.apiKey }, raw: `Authorization: ${SECRETS.bearer}` } } : h)),
    stores: { ...r.stores, secrets: { openai: { version: 1, value: SECRETS.openai } } },
  };
  return {
    ...base,
    result,
    scenario: { ...base.scenario, description: `uses ${SECRETS.anthropic}` },
    verdicts: [...base.verdicts, { property: 'no-key-leak', ok: false, message: `the tool echoed ${SECRETS.openai} and ${SECRETS.bearer}` }],
    replay: `OPENAI_API_KEY=${SECRETS.openai} npx faultline replay report.json`,
  };
}

/** Every planted secret's distinctive part, for searching outputs. */
export const SECRET_NEEDLES = ['4f9a8b7c6d5e4f3a2b1c', 'AbCdEfGhIjKlMnOp', 'eyJhbGciOiJIUzI1NiJ9', '9c2e1f0d-b7a6', '77f1e2d3'];
