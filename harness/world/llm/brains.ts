// Brains: the deterministic minds of simulated models. A brain maps the conversation so far to a
// reply. Three kinds ship: scripted (a list of replies, in order), rules (a function of the
// conversation, for agents that loop) and cassette (recorded exchanges replayed from JSON).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { canonicalHash } from '../../sim/canonicalJson.ts';
import { FaultlineError } from '../../sim/errors.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { Conversation, Reply } from './conversation.ts';

export interface BrainContext {
  /** The model name the brain is answering as (after alias and version resolution). */
  readonly model: string;
  /** How many times this brain has been asked before in this run, from 0. */
  readonly call: number;
  /** A seeded stream for brains that want variety. */
  readonly random: RandomStream;
  readonly actor: string;
  /** Virtual milliseconds since the run started. */
  readonly now: number;
}

export type Brain = (conversation: Conversation, context: BrainContext) => Reply | string | Promise<Reply | string>;

/** Replies in order: call n gets `replies[n]`. A string is a text reply. */
export function scripted(replies: ReadonlyArray<Reply | string>): Brain {
  return (_conversation, { call, model }) => {
    const reply = replies[call];
    if (reply === undefined) {
      throw new FaultlineError('INVALID_SCENARIO', {
        what: `The scripted brain of model "${model}" has ${replies.length} replies, and call #${call + 1} asked for another`,
        todo: 'Add replies to the script, or use rules(...) for an agent that loops',
      });
    }
    return reply;
  };
}

/** A brain that is a function of the conversation (and of the context: call index, seeded random). */
export function rules(decide: (conversation: Conversation, context: BrainContext) => Reply | string): Brain {
  return decide;
}

const toolCallSchema = z.object({ name: z.string(), arguments: z.unknown(), rawArguments: z.string().optional() }).strict();
const replySchema = z.object({ text: z.string().optional(), toolCalls: z.array(toolCallSchema).optional() }).strict();
const messageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant', 'tool']),
    content: z.string(),
    toolCalls: z.array(z.object({ name: z.string(), arguments: z.unknown() }).passthrough()).optional(),
  })
  .passthrough();

/**
 * The cassette file format (version 1):
 *
 * ```json
 * { "faultline": "cassette/v1",
 *   "interactions": [
 *     { "request": { "model": "gpt-4o", "system": "", "messages": [{ "role": "user", "content": "hi" }] },
 *       "reply": { "text": "hello" } } ] }
 * ```
 *
 * `request.messages` holds role, content and, for assistant messages, toolCalls `{ name, arguments }`
 * (ids are not part of a request's identity). In `match: 'request'` mode (the default) a call replays
 * the first unused interaction whose model, system text and messages equal the call's; in
 * `match: 'sequence'` mode calls replay the interactions in order, whatever they ask.
 */
export const cassetteSchema = z
  .object({
    faultline: z.literal('cassette/v1'),
    interactions: z.array(
      z
        .object({
          request: z.object({ model: z.string(), system: z.string().default(''), messages: z.array(messageSchema) }).strict(),
          reply: replySchema,
        })
        .strict(),
    ),
  })
  .strict();

export type CassetteFile = z.input<typeof cassetteSchema>;

/** The identity of a request for cassette matching: model, system and messages, without call ids. */
export function requestKey(request: {
  model: string;
  system: string;
  messages: ReadonlyArray<{ role: string; content: string; toolCalls?: ReadonlyArray<{ name: string; arguments: unknown }> }>;
}): string {
  return canonicalHash({
    model: request.model,
    system: request.system,
    messages: request.messages.map((m) => ({
      role: m.role,
      content: m.content,
      toolCalls: m.toolCalls?.map((c) => ({ name: c.name, arguments: c.arguments })),
    })),
  });
}

/** Replays a cassette, given as data or as the path of a JSON file. */
export function cassette(source: CassetteFile | string, options: { match?: 'request' | 'sequence' } = {}): Brain {
  const where = typeof source === 'string' ? source : 'the cassette';
  let raw: unknown = source;
  if (typeof source === 'string') {
    try {
      raw = JSON.parse(readFileSync(source, 'utf8'));
    } catch (error) {
      throw new FaultlineError('INVALID_SCENARIO', {
        what: `Could not read the cassette ${source}: ${(error as Error).message}`,
        todo: 'Check the path and that the file is JSON',
      });
    }
  }
  const parsed = cassetteSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `${where} is not a valid cassette`,
      todo: 'See the cassette format in harness/world/llm/brains.ts',
      details: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    });
  }
  const interactions = parsed.data.interactions.map((i) => ({ key: requestKey(i.request), reply: i.reply as Reply }));
  const mode = options.match ?? 'request';
  // Consumption is per run: the brain's call counter restarts each run, so the set of used
  // interactions is rebuilt whenever the counter is back at 0.
  let used = new Set<number>();
  return (conversation, { call, model }) => {
    if (call === 0) used = new Set();
    if (mode === 'sequence') {
      const hit = interactions[call];
      if (hit === undefined) throw exhausted(where, model, call, interactions.length);
      return hit.reply;
    }
    const key = requestKey(conversation);
    const index = interactions.findIndex((i, n) => !used.has(n) && i.key === key);
    if (index < 0) {
      throw new FaultlineError('INVALID_SCENARIO', {
        what: `No interaction in ${where} matches call #${call + 1} to "${model}" (last message: ${JSON.stringify(conversation.messages.at(-1)?.content.slice(0, 80) ?? '')})`,
        todo: "Record this exchange into the cassette, or replay it with { match: 'sequence' }",
      });
    }
    used.add(index);
    return (interactions[index] as { reply: Reply }).reply;
  };
}

function exhausted(where: string, model: string, call: number, size: number): FaultlineError {
  return new FaultlineError('INVALID_SCENARIO', {
    what: `${where} has ${size} interactions and call #${call + 1} to "${model}" asked for another`,
    todo: 'Record more interactions, or check that the agent is not looping',
  });
}
