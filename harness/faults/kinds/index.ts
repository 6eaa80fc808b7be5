// Every fault kind, in the order plans, messages and tables list them. Adding a kind means adding
// its file here; the plan schema, the per-layer repertoires and the conformance table follow.
import { bodyStall } from './bodyStall.ts';
import { corrupt } from './corrupt.ts';
import { crash } from './crash.ts';
import { descriptionChanged } from './descriptionChanged.ts';
import { disconnect } from './disconnect.ts';
import { duplicate } from './duplicate.ts';
import { empty } from './empty.ts';
import { error } from './error.ts';
import { hang } from './hang.ts';
import { heldOpen } from './heldOpen.ts';
import { latency } from './latency.ts';
import { listChanged } from './listChanged.ts';
import { lostAck } from './lostAck.ts';
import { malformed } from './malformed.ts';
import { notReady } from './notReady.ts';
import { offSchema } from './offSchema.ts';
import { outage } from './outage.ts';
import { partialWrite } from './partialWrite.ts';
import { rateLimit } from './rateLimit.ts';
import { schemaDrift } from './schemaDrift.ts';
import { serverError } from './serverError.ts';
import { sessionExpired } from './sessionExpired.ts';
import { slowInitialize } from './slowInitialize.ts';
import { sseDrop } from './sseDrop.ts';
import { staleRead } from './staleRead.ts';
import { streamCut } from './streamCut.ts';
import { streamError } from './streamError.ts';
import { streamStall } from './streamStall.ts';
import { toolRemoved } from './toolRemoved.ts';
import { toolRenamed } from './toolRenamed.ts';
import { truncate } from './truncate.ts';
import { unauthorized } from './unauthorized.ts';
import { versionSkew } from './versionSkew.ts';

export const faultKinds = [
  latency,
  outage,
  rateLimit,
  serverError,
  notReady,
  error,
  hang,
  truncate,
  streamStall,
  streamCut,
  streamError,
  bodyStall,
  heldOpen,
  malformed,
  empty,
  offSchema,
  corrupt,
  schemaDrift,
  descriptionChanged,
  versionSkew,
  disconnect,
  toolRemoved,
  toolRenamed,
  listChanged,
  sessionExpired,
  sseDrop,
  unauthorized,
  slowInitialize,
  partialWrite,
  crash,
  lostAck,
  duplicate,
  staleRead,
] as const;

export type FaultKindName = (typeof faultKinds)[number]['kind'];

const byName = new Map<string, (typeof faultKinds)[number]>(faultKinds.map((k) => [k.kind, k]));

/** The definition of a kind by name. */
export function faultKind(name: string): (typeof faultKinds)[number] | undefined {
  return byName.get(name);
}
