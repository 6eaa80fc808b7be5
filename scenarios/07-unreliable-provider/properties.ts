// Two properties of an agent behind an unreliable LLM provider, read from a run's result.
//
// noGarbageAnswer: a ticket the agent files states the facts the customer wrote. A filing built
// from a malformed, empty, cut-off or subtly wrong model reply does not, and the message names the
// faults that damaged the replies of the run.
//
// retriesBackOff: each retry of a failed LLM request waits — at least the retry-after a 429 asked
// for, and at least `minBackoffMs` after a 5xx, a dropped connection or a timeout — and the run
// makes at most `maxAttempts` LLM requests in all.
import { type Property, property, ruleIds, spansOf, type TraceEvent } from '../../harness/index.ts';
import type { Triage } from './agents.ts';
import type { TicketInput } from './tickets.ts';

type Mark = Extract<TraceEvent, { type: 'mark' }>;

/** Fault kinds that leave a 200 reply damaged rather than failed. */
const DAMAGE = new Set(['malformed', 'empty', 'truncate', 'stream-cut', 'off-schema', 'corrupt']);

export function noGarbageAnswer(): Property {
  return property('noGarbageAnswer', 'Every ticket the agent filed states the facts the customer wrote.', (r, { input }) => {
    const answer = r.value as Triage | undefined;
    if (r.outcome !== 'ok' || answer?.status !== 'filed') return undefined;
    const truth = (input as TicketInput).truth;
    const wrong = (Object.keys(truth) as Array<keyof typeof truth>).filter((k) => answer.ticket[k] !== truth[k]);
    if (wrong.length === 0) return undefined;
    const damage = r.trace
      .filter((e): e is Mark => e.type === 'mark' && e.name === 'fault' && DAMAGE.has(String(e.data?.kind)))
      .map((m) => `${String(m.data?.kind)} (${String(m.data?.rule)}) at t=${m.t}ms`);
    const said = wrong.map((k) => `${k} ${JSON.stringify(answer.ticket[k])} instead of ${JSON.stringify(truth[k])}`).join(', ');
    return {
      message: `The agent filed a ticket from ${answer.model} at t=${r.virtualTimeMs}ms with ${said}: it accepted a reply damaged by ${damage.join(', ') || 'no recorded fault'} as an answer.`,
    };
  });
}

export interface BackoffBounds {
  readonly maxAttempts: number;
  readonly minBackoffMs: number;
}

export function retriesBackOff({ maxAttempts, minBackoffMs }: BackoffBounds): Property {
  return property('retriesBackOff', `LLM retries waited (retry-after, or ${minBackoffMs} ms) and stayed within ${maxAttempts} requests.`, (r) => {
    const calls = spansOf(r.trace).filter((s) => s.kind === 'llm');
    if (calls.length > maxAttempts)
      return { message: `The run made ${calls.length} LLM requests, over the bound of ${maxAttempts}.`, spans: calls.map((s) => s.span) };
    const ids = ruleIds(r.faults);
    const retryAfter = (rule: unknown) => {
      const found = r.faults[ids.indexOf(String(rule))];
      return found?.kind === 'rate-limit' ? found.params.retryAfterMs : undefined;
    };
    for (const [i, failed] of calls.entries()) {
      if (failed.outcome === 'ok' || failed.end === undefined) continue;
      const retry = calls.slice(i + 1).find((s) => s.target === failed.target && s.actor === failed.actor);
      if (retry === undefined) continue;
      const asked = failed.data.status === 429 ? retryAfter(failed.data.fault) : undefined;
      const needed = asked ?? minBackoffMs;
      const waited = retry.start - failed.end;
      if (waited >= needed) continue;
      const why =
        asked === undefined
          ? `its request ${failed.data.status === undefined ? 'failed' : `got ${String(failed.data.status)}`} (${failed.outcome})`
          : `a 429 asked for ${asked} ms`;
      return {
        message: `${failed.actor} retried ${failed.target} at t=${retry.start}ms, ${waited} ms after ${why} at t=${failed.end}ms; it should have waited at least ${needed} ms.`,
        spans: [failed.span, retry.span],
      };
    }
    return undefined;
  });
}
