// The call graph of a run's spend: who spawned whom, and what each spent. It is what a runaway
// loop's budget stop prints, so that "$47,000" comes with the branch that spent it. Siblings that
// share a name (worker, worker#2, …) are folded into one line.
import type { Actor } from '../../sim/actors.ts';
import type { SpendSummary, SpendTotals } from './ledger.ts';

const baseName = (name: string) => name.replace(/#\d+$/, '');

function money(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function spendTree(actors: readonly Actor[], spend: SpendSummary): string {
  const children = new Map<Actor | undefined, Actor[]>();
  for (const a of actors) children.set(a.parent, [...(children.get(a.parent) ?? []), a]);
  const lines: string[] = [];
  const totalOf = (group: readonly Actor[]): SpendTotals =>
    group.reduce<SpendTotals>(
      (acc, a) => {
        const t = spend.byActor[a.name];
        return t === undefined ? acc : { calls: acc.calls + t.calls, inputTokens: acc.inputTokens + t.inputTokens, outputTokens: acc.outputTokens + t.outputTokens, usd: acc.usd + t.usd };
      },
      { calls: 0, inputTokens: 0, outputTokens: 0, usd: 0 },
    );
  const walk = (parent: Actor | undefined, depth: number): void => {
    const groups = new Map<string, Actor[]>();
    for (const a of children.get(parent) ?? []) groups.set(baseName(a.name), [...(groups.get(baseName(a.name)) ?? []), a]);
    for (const [name, group] of groups) {
      const t = totalOf(group);
      const label = group.length === 1 ? (group[0] as Actor).name : `${name} ×${group.length}`;
      lines.push(`${'  '.repeat(depth)}${label}: ${money(t.usd)} in ${t.calls} LLM call${t.calls === 1 ? '' : 's'}`);
      if (lines.length > 40) return;
      // Descend into the first of a folded group: its subtree stands for the others'.
      walk(group[0], depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}
