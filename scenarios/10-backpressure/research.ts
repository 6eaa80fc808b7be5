// The research desk of scenario 10: a question comes in, a planner model breaks it into subtasks
// and search queries, researchers run the queries, and a writer turns the notes into a brief. The
// model has a newer snapshot that plans differently — it breaks every task into more subtasks and
// never says "search this" — which is what a version-skew fault moves the alias to.
import OpenAI from 'openai';
import { z } from 'zod';
import type { WorkloadContext } from '../../harness/check/scenario.ts';
import { type Brain, defineTool, lastUserText, rules, type World } from '../../harness/index.ts';

export const MODEL = 'gpt-4o-mini';
export const PINNED = 'gpt-4o-mini-2024-07-18';
/** The snapshot the alias can move to: it decomposes everything, at every depth. */
export const EAGER = 'gpt-4o-mini-2025-04-14';

export interface Question {
  readonly topic: string;
}

export function researchWorkload({ faker }: WorkloadContext): Question {
  return { topic: `${faker.company.name()} ${faker.helpers.arrayElement(['pricing', 'market entry', 'supply chain', 'hiring plan'])}` };
}

/** A plan: either subtasks to hand to sub-agents, or queries to search. */
export interface Plan {
  readonly subtasks?: readonly string[];
  readonly queries?: readonly string[];
}

const ASPECTS = ['market size', 'competitors', 'regulation'] as const;

function researchBrain(eager: boolean): Brain {
  return rules((conversation) => {
    const text = lastUserText(conversation);
    if (conversation.system.startsWith('You plan research')) {
      const task = /^Task: (.*)$/m.exec(text)?.[1] ?? text;
      const root = !task.includes(' › ');
      if (root || eager) return JSON.stringify({ subtasks: ASPECTS.map((a) => (eager && !root ? `${a} detail` : a)) });
      const leaf = task.split(' › ').at(-1) ?? task;
      return JSON.stringify({ queries: [`${leaf} overview`, `${leaf} latest figures`] });
    }
    if (conversation.system.startsWith('You rephrase')) {
      const query = /^Query: (.*)$/m.exec(text)?.[1] ?? text;
      return `${query} (broader wording)`;
    }
    const notes = text.split('\n').filter((line) => line.startsWith('- ')).length;
    return `Research brief: ${/^Question: (.*)$/m.exec(text)?.[1] ?? 'the question'}, drawn from ${notes} notes.`;
  });
}

export const models = {
  [MODEL]: { brain: researchBrain(false), version: PINNED, versions: { [EAGER]: researchBrain(true) } },
};

export const webSearch = defineTool({
  name: 'web_search',
  description: 'Searches the web; returns titles and snippets',
  input: z.object({ query: z.string() }),
  handler: ({ query }) => ({ results: [{ title: `${query} — source A`, snippet: `What is known about ${query}.` }] }),
});

export interface SearchResults {
  readonly results?: ReadonlyArray<{ readonly title: string; readonly snippet: string }>;
}

const client = (world: World) => new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 30_000 });

async function ask(world: World, system: string, user: string): Promise<string> {
  const completion = await client(world).chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
  });
  return completion.choices[0]?.message.content ?? '';
}

/** Asks the planner model how to break a task down. */
export async function askPlanner(world: World, task: string): Promise<Plan> {
  const text = await ask(world, 'You plan research. Break the task into subtasks, or give search queries. Reply as JSON.', `Task: ${task}`);
  try {
    return JSON.parse(text) as Plan;
  } catch {
    return {};
  }
}

/** Asks the model for another wording of a query that found nothing. */
export function rephrase(world: World, query: string): Promise<string> {
  return ask(world, 'You rephrase search queries that found nothing.', `Query: ${query}`);
}

/** Asks the model to write the brief from the notes. */
export function writeBrief(world: World, question: Question, notes: readonly string[]): Promise<string> {
  return ask(world, 'You write short research briefs.', `Question: ${question.topic}\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}`);
}

export function search(world: World, query: string): Promise<SearchResults> {
  return world.tools.call<SearchResults>('web_search', { query });
}
