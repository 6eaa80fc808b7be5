// Goal: every fault kind means the same on every layer and API it applies to, and is real or
// refused. Method: a table with one cell per kind × (layer, API) column. A kind a layer does not
// know is refused when the plan is validated, with a reason. Every other cell runs one client —
// the official openai, Anthropic, AzureOpenAI, @google/genai and Bedrock clients (whole and
// streamed), world.llm, world.fetch, world.tools,
// the official MCP client, a store — once clean and once with a one-rule plan, and asserts that
// the fault left a `fault` mark exactly when what the client saw changed, and that it did change
// except in the cells documented (in the kind's file) to have no shape on that API, which must say
// why. The table and its cell count are printed to the test log.
import { describe, expect, it } from 'vitest';
import { canonicalJson, type FaultKind, type FaultRuleInput, faultKinds, isFaultlineError, parseFaultPlan, simulate } from '../../harness/index.ts';
import { COLUMNS, type Column, NEXT, worldOptions } from './conformanceDrivers.ts';

/** Params that let each kind act on the drivers' workload. */
const PARAMS: Partial<Record<FaultKind, Record<string, unknown>>> = {
  latency: { latency: { kind: 'fixed', ms: 250 } },
  'stream-stall': { afterChunks: 1, stallMs: 5_000 },
  'stream-cut': { afterChunks: 1 },
  'body-stall': { stallMs: 5_000 },
  'held-open': { holdMs: 5_000 },
  'version-skew': { to: NEXT },
  'tool-renamed': { to: 'find_order' },
};

/** Server changes happen at a time: the MCP columns fire them once their connection is up (an HTTP handshake takes longer). */
const MCP_CHANGE_AT = 250;
const TIMED_ON_MCP = new Set<FaultKind>(['tool-removed', 'tool-renamed', 'schema-drift', 'description-changed', 'list-changed', 'session-expired']);

const WHOLE = ['openai.chat', 'openai.responses', 'anthropic.messages', 'direct', 'azure.openai', 'gemini.generateContent', 'bedrock.converse'];

/** The columns of providers without a not-ready answer of their own (harness/faults/kinds/notReady.ts). */
const NO_NOT_READY = [
  'openai.chat',
  'openai.chat+stream',
  'openai.responses',
  'openai.responses+stream',
  'anthropic.messages',
  'anthropic.messages+stream',
  'direct',
  'gemini.generateContent',
  'gemini.generateContent+stream',
];

/** Cells a kind's file documents as having no shape on that API: the rule fires, changes nothing, and says why. */
const DOCUMENTED_NO_OP: Partial<Record<FaultKind, readonly string[]>> = {
  'stream-stall': WHOLE,
  'stream-cut': WHOLE,
  'stream-error': WHOLE,
  'body-stall': ['direct'],
  'held-open': ['direct'],
  truncate: ['direct'],
  'off-schema': ['direct'],
  'not-ready': NO_NOT_READY,
  // HTTP faults have no shape on the in-process MCP transport.
  'server-error': ['mcp.client'],
  outage: ['mcp.client'],
  unauthorized: ['mcp.client'],
  'sse-drop': ['mcp.client'],
};

type Cell = { kind: 'refused'; why: string } | { kind: 'effect'; what: string } | { kind: 'no-op'; why: string };

function ruleFor(kind: FaultKind, column: Column): FaultRuleInput {
  const params = PARAMS[kind];
  const when = column.layer === 'mcp' && TIMED_ON_MCP.has(kind) ? { when: { afterMs: MCP_CHANGE_AT } } : {};
  return { target: column.target, kind, ...when, ...(params === undefined ? {} : { params }) } as FaultRuleInput;
}

async function observe(column: Column, faults: FaultRuleInput[]) {
  const handlerCalls = { n: 0 };
  const r = await simulate(column.drive, {
    ...worldOptions(handlerCalls),
    seed: 1,
    faults,
    ...(column.network === undefined ? {} : { network: column.network }),
  });
  const error = r.error instanceof Error ? `${r.error.name}: ${r.error.message}` : r.error === undefined ? undefined : String(r.error);
  const seen = canonicalJson({ outcome: r.outcome, value: r.value ?? null, error: error ?? null, t: r.virtualTimeMs, handlerCalls: handlerCalls.n });
  return { r, seen };
}

const baselines = new Map<Column, string>();

async function cell(kind: FaultKind, column: Column): Promise<Cell> {
  const rule = ruleFor(kind, column);
  try {
    parseFaultPlan([rule]);
  } catch (error) {
    if (!isFaultlineError(error)) throw error;
    const line = /- faults\[0\](?:\.kind)?: (.*)/.exec(error.message)?.[1] ?? error.message;
    return { kind: 'refused', why: line };
  }
  let baseline = baselines.get(column);
  if (baseline === undefined) {
    baseline = (await observe(column, [])).seen;
    baselines.set(column, baseline);
  }
  const { r, seen } = await observe(column, [rule]);
  const marks = r.trace.filter((e) => e.type === 'mark' && e.name === 'fault');
  const changed = seen !== baseline;
  const label = `${kind} on ${column.api}`;
  // Marked exactly when the client saw a difference: no silent no-op, no unrecorded change.
  expect(marks.length > 0, `${label}: ${marks.length} fault marks, and what the client saw ${changed ? 'changed' : 'did not change'}`).toBe(changed);
  if (marks.length > 0) {
    const data = marks[0]?.type === 'mark' ? marks[0].data : undefined;
    const { rule: _rule, kind: _kind, target: _target, ...what } = data ?? {};
    return { kind: 'effect', what: canonicalJson(what) };
  }
  return { kind: 'no-op', why: r.coverage.rules[0]?.noEffect.join('; ') || 'no reason given' };
}

const SYMBOL = { effect: '✓', 'no-op': '·', refused: '–' } as const;

describe('fault kinds × layers × APIs', () => {
  it('is an effect, a documented no-op with its reason, or a refusal with its reason, in every cell', async ({ annotate }) => {
    const table = new Map<string, Cell>();
    for (const spec of faultKinds) {
      for (const column of COLUMNS) {
        const result = await cell(spec.kind, column);
        table.set(`${spec.kind}|${column.api}`, result);
        const documented = DOCUMENTED_NO_OP[spec.kind]?.includes(column.api) === true;
        if (result.kind === 'refused') {
          expect(spec.layers[column.layer], `${spec.kind} refused at ${column.layer}: ${result.why}`).toBeUndefined();
          expect(result.why).toMatch(new RegExp(`cannot happen at "${column.target}"; at ${column.layer}: targets the kinds are`));
        } else expect(spec.layers[column.layer], `${spec.kind} accepted at ${column.layer}`).toBeDefined();
        if (result.kind === 'no-op') {
          expect(documented, `${spec.kind} on ${column.api} changed nothing: ${result.why}`).toBe(true);
          expect(result.why).not.toBe('no reason given');
        }
        if (documented) expect(result.kind, `${spec.kind} on ${column.api} is documented to change nothing`).toBe('no-op');
      }
    }
    const lines = render(table);
    console.log(lines.join('\n'));
    await annotate(lines.slice(-1)[0] as string);
    expect(table.size).toBe(faultKinds.length * COLUMNS.length);
  });
});

function render(table: ReadonlyMap<string, Cell>): string[] {
  const width = Math.max(...faultKinds.map((k) => k.kind.length));
  const short: Readonly<Record<string, string>> = { 'azure.openai': 'azure', 'gemini.generateContent': 'gemini', 'bedrock.converse': 'bedrock' };
  const heads = COLUMNS.map((c) => {
    const [api = '', stream] = c.api.split('+');
    return `${short[api] ?? api.replace('openai.', '').replace('anthropic.', '')}${stream === undefined ? '' : '~'}`;
  });
  const lines = [
    'Fault conformance (✓ effect, · documented no-op, – refused at validation; ~ = streamed):',
    `${''.padEnd(width)}  ${heads.map((h) => h.padEnd(12)).join('')}`,
  ];
  const notes: string[] = [];
  const counts = { effect: 0, 'no-op': 0, refused: 0 };
  for (const spec of faultKinds) {
    const row = COLUMNS.map((c) => {
      const result = table.get(`${spec.kind}|${c.api}`) as Cell;
      counts[result.kind]++;
      if (result.kind === 'no-op') notes.push(`  · ${spec.kind} on ${c.api}: ${result.why}`);
      return SYMBOL[result.kind].padEnd(12);
    });
    lines.push(`${spec.kind.padEnd(width)}  ${row.join('')}`);
  }
  const refusals = [...table.entries()].filter(([, c]) => c.kind === 'refused');
  lines.push(`Refusals say why, e.g. ${refusals[0]?.[0].replace('|', ' on ')}: ${(refusals[0]?.[1] as { why: string } | undefined)?.why}`);
  lines.push('Documented no-ops:', ...notes);
  lines.push(
    `${table.size} cells (${faultKinds.length} kinds × ${COLUMNS.length} layer/API columns): ${counts.effect} effects, ${counts['no-op']} documented no-ops, ${counts.refused} refusals.`,
  );
  return lines;
}
