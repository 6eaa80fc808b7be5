// A `corrupt` hit on an MCP request, applied to the answer on its way back (the same on every
// transport): one fact of a tools/call result changes, and a taint mark says which.
import { isJSONRPCResultResponse, type JSONRPCResultResponse } from '@modelcontextprotocol/sdk/types.js';
import { seededFaker } from '../../faults/corrupt.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { TraceData } from '../../sim/trace.ts';
import { corruptToolResult } from './corruptToolResult.ts';
import type { Flight, McpResponse } from './requestSpans.ts';

export interface DamageContext {
  /** The server's fault stream, for the wrong value. */
  readonly stream: RandomStream;
  readonly target: string;
  /** Records the taint mark on the request's span. */
  readonly taint: (data: TraceData, span: number) => void;
}

/** The answer with one fact changed when a `corrupt` rule hit the request, else the answer as it was. */
export function damageAnswer(response: McpResponse, flight: Flight, context: DamageContext): McpResponse {
  const hit = flight.fate?.corrupt;
  if (hit === undefined || !isJSONRPCResultResponse(response)) return response;
  const { stream } = context;
  const changed = corruptToolResult(response.result, hit.params.fact, stream, () => seededFaker(stream));
  if (changed === undefined) {
    hit.noEffect(`the result has no ${hit.params.fact === 'any' ? '' : `${hit.params.fact} `}fact to change`);
    return response;
  }
  hit.effect({ path: changed.taint.path });
  flight.fault = { kind: 'corrupt', rule: hit.id };
  const where = `${context.target}/${flight.tool ?? ''}`;
  context.taint({ rule: hit.id, target: context.target, where, ...changed.taint }, flight.span);
  return { ...response, result: changed.result as JSONRPCResultResponse['result'] };
}
