// The call graph of a run's spend: who spawned whom, and what each branch spent. It is what a
// runaway loop's budget stop prints, so that "$47,000" comes with the branch that spent it. Actors
// that share a name at the same place in the tree (worker, worker#2, …) are folded into one line,
// and every line shows its whole subtree's spend: billed calls, and requests when some were refused.
import type { Actor } from '../../sim/actors.ts';
import type { SpendSummary } from './ledger.ts';

const baseName = (name: string) => name.replace(/#\d+$/, '');

function money(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function spendTree(actors: readonly Actor[], spend: SpendSummary): string {
  const children = new Map<Actor | undefined, Actor[]>();
  for (const a of actors) children.set(a.parent, [...(children.get(a.parent) ?? []), a]);
  const subtree = new Map<Actor, { usd: number; calls: number; attempts: number }>();
  const totalOf = (a: Actor): { usd: number; calls: number; attempts: number } => {
    const known = subtree.get(a);
    if (known !== undefined) return known;
    const own = spend.byActor[a.name];
    const total = { usd: own?.usd ?? 0, calls: own?.calls ?? 0, attempts: own?.attempts ?? 0 };
    for (const c of children.get(a) ?? []) {
      const t = totalOf(c);
      total.usd += t.usd;
      total.calls += t.calls;
      total.attempts += t.attempts;
    }
    subtree.set(a, total);
    return total;
  };
  const lines: string[] = [];
  const walk = (parents: readonly (Actor | undefined)[], depth: number): void => {
    const groups = new Map<string, Actor[]>();
    for (const p of parents) for (const a of children.get(p) ?? []) groups.set(baseName(a.name), [...(groups.get(baseName(a.name)) ?? []), a]);
    for (const [name, group] of groups) {
      if (lines.length >= 40) return;
      const t = group.reduce(
        (acc, a) => ({ usd: acc.usd + totalOf(a).usd, calls: acc.calls + totalOf(a).calls, attempts: acc.attempts + totalOf(a).attempts }),
        { usd: 0, calls: 0, attempts: 0 },
      );
      const label = group.length === 1 ? (group[0] as Actor).name : `${name} ×${group.length}`;
      // Requests the provider refused (or whose reply was lost) cost nothing but still count.
      const refused = t.attempts > t.calls ? ` (${t.attempts} requests)` : '';
      lines.push(`${'  '.repeat(depth)}${label}: ${money(t.usd)} in ${t.calls} LLM call${t.calls === 1 ? '' : 's'}${refused}`);
      walk(group, depth + 1);
    }
  };
  walk([undefined], 0);
  return lines.join('\n');
}
