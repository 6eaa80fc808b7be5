// A research agent that fans out: the planner model splits the question into subtasks, each handed
// to a planner sub-agent, whose search queries go on a queue that two researchers work through.
// The naive agent trusts the plan: it spawns a sub-agent for every subtask at any depth, queues every
// query without bound, and rephrases a query that found nothing until something turns up. A model
// snapshot that always decomposes, or a search index that returns nothing, turns that into a
// runaway loop. The hardened agent caps depth and fan-out, feeds a bounded queue (planners wait when
// it is full), bounds rephrasing, and spends from a fixed allowance of model calls; what it had to
// leave out, it says.
import type { World } from '../../harness/index.ts';
import { askPlanner, type Question, rephrase, search, writeBrief } from './research.ts';

const RESEARCHERS = 2;
const LEADS = 'leads';

type Lead = string | null;

/** Works the queue until a null says there is no more work; returns its notes. */
async function naiveResearcher(world: World): Promise<string[]> {
  const leads = world.channel<Lead>(LEADS);
  const notes: string[] = [];
  for (let lead = await leads.receive(); lead !== null; lead = await leads.receive()) {
    let query = lead;
    let found = await search(world, query);
    // Keep rephrasing until something turns up.
    while ((found.results ?? []).length === 0) {
      query = await rephrase(world, query);
      found = await search(world, query);
    }
    notes.push(`${query}: ${found.results?.[0]?.snippet}`);
  }
  return notes;
}

async function naivePlan(world: World, task: string): Promise<void> {
  const plan = await askPlanner(world, task);
  const leads = world.channel<Lead>(LEADS);
  if (plan.subtasks !== undefined) {
    await Promise.all(plan.subtasks.map((s) => world.spawn('planner', (w) => naivePlan(w, `${task} › ${s}`))));
    return;
  }
  for (const query of plan.queries ?? []) await leads.send(query);
}

export async function naive(world: World, question: Question): Promise<string> {
  const leads = world.channel<Lead>(LEADS);
  const researchers = Array.from({ length: RESEARCHERS }, () => world.spawn('researcher', naiveResearcher));
  await naivePlan(world, question.topic);
  for (let i = 0; i < RESEARCHERS; i++) await leads.send(null);
  const notes = (await Promise.all(researchers)).flat();
  return writeBrief(world, question, notes);
}

/** The hardened agent's bounds. */
const MAX_DEPTH = 1;
const FAN_OUT = 3;
const QUEUE_CAPACITY = 4;
const REPHRASES = 2;
/** Model calls for planning and rephrasing; the brief itself is always written. */
const CALL_ALLOWANCE = 14;
const NO_SOURCES = 'no sources found';

/** What one research run may still spend, and what it had to leave out. */
class Allowance {
  private used = 0;
  readonly skipped: string[] = [];

  constructor(private readonly calls: number) {}

  /** Takes one model call from the allowance; false (and `what` noted as skipped) when none is left. */
  take(what: string): boolean {
    if (this.used < this.calls) {
      this.used++;
      return true;
    }
    this.skipped.push(what);
    return false;
  }
}

function hardenedResearcher(allowance: Allowance) {
  return async (world: World): Promise<string[]> => {
    const leads = world.channel<Lead>(LEADS);
    const notes: string[] = [];
    for (let lead = await leads.receive(); lead !== null; lead = await leads.receive()) {
      let query = lead;
      let found = await search(world, query);
      for (let attempt = 0; (found.results ?? []).length === 0 && attempt < REPHRASES && allowance.take(`rephrasing "${query}"`); attempt++) {
        query = await rephrase(world, query);
        found = await search(world, query);
      }
      const first = found.results?.[0];
      notes.push(first === undefined ? `${lead}: ${NO_SOURCES}` : `${query}: ${first.snippet}`);
    }
    return notes;
  };
}

async function hardenedPlan(world: World, task: string, depth: number, allowance: Allowance): Promise<void> {
  if (!allowance.take(`planning "${task}"`)) return;
  const plan = await askPlanner(world, task);
  const leads = world.channel<Lead>(LEADS);
  const subtasks = (plan.subtasks ?? []).slice(0, FAN_OUT);
  if (subtasks.length > 0 && depth < MAX_DEPTH) {
    await Promise.all(subtasks.map((s) => world.spawn('planner', (w) => hardenedPlan(w, `${task} › ${s}`, depth + 1, allowance))));
    return;
  }
  // At the depth limit a subtask is searched as it is, rather than planned further.
  for (const query of [...subtasks, ...(plan.queries ?? [])].slice(0, FAN_OUT)) await leads.send(query);
}

export async function hardened(world: World, question: Question): Promise<string> {
  const allowance = new Allowance(CALL_ALLOWANCE);
  const leads = world.channel<Lead>(LEADS, { capacity: QUEUE_CAPACITY });
  const researchers = Array.from({ length: RESEARCHERS }, () => world.spawn('researcher', hardenedResearcher(allowance)));
  await hardenedPlan(world, question.topic, 0, allowance);
  for (let i = 0; i < RESEARCHERS; i++) await leads.send(null);
  const notes = (await Promise.all(researchers)).flat();
  const brief = await writeBrief(world, question, notes);
  const unsourced = notes.filter((n) => n.endsWith(NO_SOURCES)).length;
  const unplanned = allowance.skipped.filter((s) => s.startsWith('planning')).length;
  const gaps = [
    unsourced === 0 ? undefined : `${unsourced} of ${notes.length} queries found no sources`,
    unplanned === 0 ? undefined : `${unplanned} subtask(s) were not planned`,
  ].filter((g) => g !== undefined);
  return gaps.length === 0 ? brief : `${brief} Partial: ${gaps.join('; ')} within the research budget.`;
}
