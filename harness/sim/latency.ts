// Latency distributions. Every draw comes from a named RandomStream, and every result is a whole
// number of virtual milliseconds, so traces stay readable and exactly reproducible.
import type { RandomStream } from './rng.ts';

export type LatencyModel =
  /** Always `ms`. */
  | { readonly kind: 'fixed'; readonly ms: number }
  /** Uniform on [minMs, maxMs]. */
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Log-normal around `medianMs` with shape `sigma` (heavy right tail), capped at `maxMs`. */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number; readonly maxMs?: number }
  /** Pareto with scale `minMs` and tail index `alpha` (smaller alpha, heavier tail), capped at `maxMs`. */
  | { readonly kind: 'pareto'; readonly minMs: number; readonly alpha: number; readonly maxMs?: number };

/** A default cap on heavy-tailed draws, so that one unlucky draw cannot exceed a day. */
const DEFAULT_CAP_MS = 86_400_000;

/** Draws one latency, in whole virtual milliseconds, from `model` using `stream`. */
export function sampleLatency(model: LatencyModel, stream: RandomStream): number {
  switch (model.kind) {
    case 'fixed':
      return Math.round(model.ms);
    case 'uniform':
      return stream.int(Math.round(model.minMs), Math.round(model.maxMs));
    case 'lognormal': {
      // Box-Muller: two uniforms give one standard normal draw.
      const u1 = 1 - stream.next();
      const u2 = stream.next();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.round(Math.min(model.maxMs ?? DEFAULT_CAP_MS, model.medianMs * Math.exp(model.sigma * z)));
    }
    case 'pareto': {
      const u = 1 - stream.next();
      return Math.round(Math.min(model.maxMs ?? DEFAULT_CAP_MS, model.minMs / u ** (1 / model.alpha)));
    }
  }
}

/** Problems with a latency model, as sentences; empty when it is valid. */
export function latencyModelProblems(model: LatencyModel, path: string): string[] {
  const problems: string[] = [];
  const nonNegative = (name: string, v: unknown): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      problems.push(`${path}.${name} must be a finite number >= 0, got ${JSON.stringify(v)}`);
    }
  };
  switch (model.kind) {
    case 'fixed':
      nonNegative('ms', model.ms);
      break;
    case 'uniform':
      nonNegative('minMs', model.minMs);
      nonNegative('maxMs', model.maxMs);
      if (problems.length === 0 && model.minMs > model.maxMs) problems.push(`${path}.minMs must be <= ${path}.maxMs`);
      break;
    case 'lognormal':
      nonNegative('medianMs', model.medianMs);
      nonNegative('sigma', model.sigma);
      if (model.maxMs !== undefined) nonNegative('maxMs', model.maxMs);
      break;
    case 'pareto':
      nonNegative('minMs', model.minMs);
      if (!(typeof model.alpha === 'number' && model.alpha > 0)) problems.push(`${path}.alpha must be a number > 0`);
      if (model.maxMs !== undefined) nonNegative('maxMs', model.maxMs);
      break;
    default:
      problems.push(`${path}.kind must be one of "fixed", "uniform", "lognormal", "pareto", got ${JSON.stringify((model as { kind: unknown }).kind)}`);
  }
  return problems;
}
