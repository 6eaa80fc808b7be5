// The code a scenario file refers to: a tool, and two agents that use it through the simulated LLM.
// A team writing its own scenario points the file at its own agent module instead.
import { z } from 'zod';
import { defineTool, type World } from '../../harness/index.ts';

export const tools = [
  defineTool({
    name: 'forecast',
    description: "Tomorrow's forecast for a city",
    input: z.object({ city: z.string() }),
    handler: ({ city }) => ({ city, summary: 'light rain', highC: 14 }),
  }),
];

async function plan(world: World): Promise<string> {
  const reply = await world.llm.complete({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Should I bike to work in Lisbon tomorrow?' }],
    tools: world.tools.list(),
  });
  const call = reply.toolCalls[0];
  if (call === undefined) return reply.text;
  const forecast = await world.tools.call<{ summary: string; highC: number }>(call.name, call.arguments);
  return `Tomorrow: ${forecast.summary}, ${forecast.highC}°C. Take a rain jacket if you bike.`;
}

/** Trusts the forecast tool to answer. */
export async function naive(world: World): Promise<string> {
  return plan(world);
}

/** Says what it could not find out instead of failing. */
export async function hardened(world: World): Promise<string> {
  try {
    return await plan(world);
  } catch {
    return 'I could not get the forecast right now (the weather service is unavailable); check again later.';
  }
}
