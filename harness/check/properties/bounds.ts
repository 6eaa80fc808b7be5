// Properties about staying within bounds: LLM spend (dollars, tokens, requests, retries included) and
// work (actors spawned, how deep they nest, how deep queues grow).
import type { RunResult } from '../../options.ts';
import { marks, type Property, property } from './property.ts';

/** The budget stop's reason without the call graph, which the run's message already carries. */
export function overBudget(r: RunResult): string {
  return r.message.split('. Spend by actor:')[0] ?? r.message;
}

export interface SpendBounds {
  readonly usd?: number;
  readonly tokens?: number;
  /** LLM requests that reached a provider, refused ones included (`spend.attempts`): a 429 storm counts. */
  readonly llmCalls?: number;
}

export function boundedSpend(bounds: SpendBounds): Property {
  const parts = [
    bounds.usd === undefined ? undefined : `$${bounds.usd}`,
    bounds.tokens === undefined ? undefined : `${bounds.tokens} tokens`,
    bounds.llmCalls === undefined ? undefined : `${bounds.llmCalls} LLM calls`,
  ].filter((p) => p !== undefined);
  return property('boundedSpend', `LLM spend stayed within ${parts.join(', ')}.`, (r) => {
    const s = r.spend;
    const tokens = s.inputTokens + s.outputTokens;
    if (r.outcome === 'budget') return { message: overBudget(r) };
    if (bounds.usd !== undefined && s.usd > bounds.usd)
      return { message: `The run spent $${s.usd.toFixed(4)} on ${s.calls} LLM calls, over the bound of $${bounds.usd}.` };
    if (bounds.tokens !== undefined && tokens > bounds.tokens) return { message: `The run used ${tokens} tokens, over the bound of ${bounds.tokens}.` };
    if (bounds.llmCalls !== undefined && s.attempts > bounds.llmCalls)
      return {
        message: `The run sent ${s.attempts} LLM requests (${s.calls} billed, ${s.attempts - s.calls} refused or lost; retries included), over the bound of ${bounds.llmCalls}.`,
      };
    return undefined;
  });
}

export interface WorkBounds {
  /** Actors in the run, main included. */
  readonly actors?: number;
  /** How deep actors spawn actors (main is depth 0). */
  readonly spawnDepth?: number;
  /** The deepest any channel queue may get. */
  readonly queueDepth?: number;
}

function depthOf(r: RunResult, name: string): number {
  let depth = 0;
  for (let a = r.actors.find((x) => x.name === name); a?.parent !== undefined; a = r.actors.find((x) => x.name === a?.parent)) depth++;
  return depth;
}

export function boundedWork(bounds: WorkBounds): Property {
  return property('boundedWork', 'Actors, spawn depth and queue depth stayed within their bounds.', (r) => {
    if (r.outcome === 'budget') return { message: overBudget(r) };
    if (bounds.actors !== undefined && r.actors.length > bounds.actors) {
      return { message: `The run had ${r.actors.length} actors, over the bound of ${bounds.actors}.` };
    }
    if (bounds.spawnDepth !== undefined) {
      const deepest = r.actors.reduce((best, a) => (depthOf(r, a.name) > depthOf(r, best.name) ? a : best), r.actors[0] ?? { name: 'main' });
      const depth = depthOf(r, deepest.name);
      if (depth > bounds.spawnDepth) return { message: `${deepest.name} was spawned at depth ${depth}, over the bound of ${bounds.spawnDepth}.` };
    }
    if (bounds.queueDepth !== undefined) {
      const deepest = marks(r, 'queue.depth').reduce((m, e) => Math.max(m, Number(e.data?.depth ?? 0)), 0);
      if (deepest > bounds.queueDepth) return { message: `A queue grew to ${deepest} items, over the bound of ${bounds.queueDepth}.` };
    }
    return undefined;
  });
}
