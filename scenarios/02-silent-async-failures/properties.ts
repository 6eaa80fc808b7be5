// The property of failure mode 2, which the shipped ones do not state: a job that reports success
// reports the truth. The truth is recomputed from the run's input (the billing data is a pure
// function of account and month), so a success built on an empty, partial, reshaped or altered
// input is caught whatever the agent believed; a job that failed or asked for review is not judged.
import { type Property, property, type TraceEvent } from '../../harness/index.ts';
import { invoicesFor, type StatementRequest, usd } from './billing.ts';
import type { StatementResult } from './statementJob.ts';

/** Kinds of fault that hand the agent a 200 with damaged content. */
const DAMAGING = new Set(['truncate', 'empty', 'off-schema', 'corrupt', 'malformed']);

const NUMBER = /(?<![\w.-])\$?\d[\d,]*(?:\.\d+)?(?![\w-])/g;

type Mark = Extract<TraceEvent, { type: 'mark' }>;

function wrongFigures(out: Extract<StatementResult, { status: 'succeeded' }>, request: StatementRequest): string[] {
  const truth = invoicesFor(request.account, request.month);
  const wrong: string[] = [];
  if (out.count !== truth.count) wrong.push(`${out.count} invoices where there are ${truth.count}`);
  if (Math.abs(out.total - truth.total) >= 0.005) wrong.push(`a total of ${usd(out.total)} where it is ${usd(truth.total)}`);
  const allowed = new Set([usd(truth.total), String(truth.count), request.month.slice(0, 4)]);
  const foreign = (out.summary.match(NUMBER) ?? []).filter((n) => !allowed.has(n));
  if (out.summary.trim() === '') wrong.push('an empty summary');
  else if (foreign.length > 0) wrong.push(`a summary stating ${foreign.join(', ')} ("${out.summary}")`);
  else if (!out.summary.includes(usd(truth.total)) || !out.summary.includes(`${truth.count} invoice`))
    wrong.push(`a summary missing the figures ("${out.summary}")`);
  return wrong;
}

export function noSilentFailure(): Property {
  return property('noSilentFailure', 'The job reported success only with the true count, total and summary.', (r, { input }) => {
    if (r.outcome !== 'ok') return undefined;
    const out = r.value as StatementResult | undefined;
    if (out?.status !== 'succeeded') return undefined;
    const request = input as StatementRequest;
    const wrong = wrongFigures(out, request);
    if (wrong.length === 0) return undefined;
    const damage = r.trace.filter((e): e is Mark => e.type === 'mark' && e.name === 'fault' && DAMAGING.has(String(e.data?.kind)));
    const cause = damage.length === 0 ? '' : `, after ${damage.map((m) => `${String(m.data?.rule)} at t=${m.t}ms`).join(' and ')} damaged what it read`;
    return {
      message: `The statement job for ${request.account} ${request.month} reported success with ${wrong.join(' and ')}${cause}.`,
      spans: damage.map((m) => m.span).filter((s): s is number => s !== undefined),
    };
  });
}
