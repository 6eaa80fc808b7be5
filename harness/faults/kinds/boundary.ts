// Where a stream fault lands: content boundary `afterChunks`, counted over all content chunks or
// over the tool-call argument deltas only (`within: 'arguments'`: a cut inside the call's JSON).
import type { BodyHooks } from '../hooks.ts';

/** The boundary a stream fault acts at, or why there is none on this body. */
export function boundaryOf(body: BodyHooks, afterChunks: number, within: 'content' | 'arguments'): number | string {
  if (within === 'content') return afterChunks > body.contentChunks ? `the stream has only ${body.contentChunks} content chunks` : afterChunks;
  const { first, count } = body.argumentChunks;
  if (first === undefined) return 'the stream carries no tool-call arguments';
  return afterChunks > count ? `the tool-call arguments are only ${count} chunks` : first + afterChunks;
}
