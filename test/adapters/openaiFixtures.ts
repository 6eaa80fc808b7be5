// Shared pieces of the OpenAI adapter tests: a weather tool, a brain that uses it, the run options
// that serve it, and readers for what the tests assert on (spans, ledger arithmetic).
import { z } from 'zod';
import {
  type Agent,
  defaultPrices,
  defineTool,
  type FaultPlanInput,
  type ModelConfig,
  priceOf,
  type RunResult,
  rules,
  type Span,
  simulate,
  spansOf,
} from '../../harness/index.ts';
import { dollars } from '../../harness/world/llm/pricing.ts';

export const MODEL = 'gpt-4o-mini';
export const INSTRUCTIONS = 'You are a terse weather assistant.';
export const QUESTION = 'What is the weather in Paris?';
export const ANSWER = 'It is 21°C and sunny in Paris.';

export const weather = defineTool({
  name: 'weather',
  description: 'Current weather for a city',
  input: z.object({ city: z.string() }),
  handler: ({ city }) => ({ city, tempC: 21, sunny: true }),
});

/** Calls the weather tool for Paris, then reports what it said; a tool result it cannot read is reported as such. */
export const weatherBrain = rules((conversation) => {
  const last = conversation.messages.at(-1);
  if (last?.role !== 'tool') return { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] };
  try {
    const result = JSON.parse(last.content) as { city: string; tempC: number; sunny: boolean };
    return { text: `It is ${result.tempC}°C and ${result.sunny ? 'sunny' : 'cloudy'} in ${result.city}.` };
  } catch {
    return { text: `The weather tool said: ${last.content}` };
  }
});

export interface RunOptions {
  readonly seed?: number;
  readonly faults?: FaultPlanInput;
  readonly models?: Readonly<Record<string, ModelConfig['brain'] | ModelConfig>>;
}

/** One run of `agent` with the weather tool and `gpt-4o-mini` on the weather brain (unless `models` says otherwise). */
export function run<T>(agent: Agent<T>, options: RunOptions = {}): Promise<RunResult<T>> {
  return simulate(agent, {
    seed: options.seed ?? 7,
    llm: { models: options.models ?? { [MODEL]: weatherBrain } },
    tools: [weather],
    faults: options.faults ?? [],
  });
}

export const fetchSpans = (r: RunResult): Span[] => spansOf(r.trace).filter((s) => s.kind === 'fetch');
export const llmSpans = (r: RunResult): Span[] => spansOf(r.trace).filter((s) => s.kind === 'llm');

/** Virtual milliseconds between the end of each span and the start of the next. */
export function gaps(spans: readonly Span[]): number[] {
  return spans.slice(1).map((s, i) => s.start - (spans[i]?.end ?? Number.NaN));
}

/** The run's spend recomputed from its ledger entries with the price table, summed as the ledger sums. */
export function expectedUsd(r: RunResult, model = MODEL): { perEntry: number[]; total: number } {
  const price = priceOf(model, defaultPrices);
  if (price === undefined) throw new Error(`no price for ${model}`);
  const perEntry = r.spend.entries.map((e) => dollars(price, e.inputTokens, e.outputTokens));
  const total = perEntry.reduce((sum, usd) => Math.round((sum + usd) * 1e8) / 1e8, 0);
  return { perEntry, total };
}

/** The names of the marks in a run's trace (faults, taints, stream stalls and cuts). */
export function marks(r: RunResult, name: string): Array<Record<string, unknown>> {
  return r.trace.flatMap((e) => (e.type === 'mark' && e.name === name ? [{ ...e.data }] : []));
}
