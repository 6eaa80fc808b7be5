// The world of the help-desk agent: a knowledge-base search tool, a main model that answers with it,
// and a cheap model that condenses each question into a memory the agent keeps for next time.
import { z } from 'zod';
import { type Conversation, defineTool, lastUserText, latestToolResults, rules } from '../../harness/index.ts';

export const ANSWER_MODEL = 'gpt-4o';
export const MEMORY_MODEL = 'gpt-4o-mini';
export const USER = 'user-42';
export const QUESTION = 'How do I rotate the API key for my team workspace without downtime?';

export const kbSearch = defineTool({
  name: 'kb_search',
  description: 'Search the product knowledge base',
  input: z.object({ query: z.string() }),
  handler: ({ query }) => ({
    query,
    hits: [
      {
        id: 'KB-88',
        title: 'Rotating workspace API keys',
        body: 'Create a second key, deploy it everywhere, then revoke the old key. Both keys work until you revoke.',
      },
    ],
  }),
});

/** The main model: searches the knowledge base, then answers at some length from what it found. */
export const answerModel = rules((conversation: Conversation) => {
  const [result] = latestToolResults(conversation);
  if (result === undefined) return { toolCalls: [{ name: 'kb_search', arguments: { query: lastUserText(conversation) } }] };
  const hit = (JSON.parse(result.content) as { hits: Array<{ id: string; body: string }> }).hits[0];
  if (hit === undefined) return 'I could not find anything about that in the knowledge base.';
  return (
    `Here is how to rotate the key without downtime (${hit.id}): ${hit.body} ` +
    "In practice: create the new key in Settings → API keys, roll it out to every service and CI secret, watch the old key's " +
    'last-used time until it stops changing, and only then revoke it. If anything still uses the old key, it keeps working until that moment.'
  );
});

/** The memory model: one short line about what the user asked. */
export const memoryModel = rules(
  (conversation: Conversation) => `User asked how to rotate workspace API keys safely (${lastUserText(conversation).length} chars).`,
);
