// The triage model behind the `gpt-4o` alias. The snapshot it resolves to answers severity as a
// number from 1 to 4; the snapshot the alias moves to when the provider redeploys it answers with a
// label. Both are reasonable; mixing them in one decision, or parsing one as the other, is not.
import { type Conversation, type ModelConfig, rules } from '../../harness/index.ts';

export const ALIAS = 'gpt-4o';
export const PINNED = 'gpt-4o-2024-08-06';
export const NEXT = 'gpt-4o-2024-11-20';

export const IMPACTS = ['outage', 'degraded', 'minor', 'cosmetic'] as const;
export type Impact = (typeof IMPACTS)[number];

export const CLASSIFY_SYSTEM = 'Classify the incident. Answer with JSON only: {"severity": <1-4, 1 is worst>, "reason": "<why>"}.';
export const TITLE_SYSTEM = 'Write a one-line ticket title for the incident at the given severity.';

const LABELS = ['critical', 'high', 'medium', 'low'] as const;

/** The severity, 1 to 4, of the impact a report states. */
const severityOf = (text: string): number => {
  const impact = /Impact: (\w+)/.exec(text)?.[1] as Impact | undefined;
  return impact === undefined ? 3 : IMPACTS.indexOf(impact) + 1;
};

const subjectOf = (text: string): string => /(?:Incident: )?([^.]+)\./.exec(text)?.[1] ?? text;

function triageBrain(style: 'number' | 'label') {
  return rules((conversation: Conversation) => {
    const text = conversation.messages.at(-1)?.content ?? '';
    const severity = severityOf(text);
    if (conversation.system === CLASSIFY_SYSTEM) {
      const answer = style === 'number' ? severity : LABELS[severity - 1];
      return JSON.stringify({ severity: answer, reason: `the report states the impact as ${/Impact: (\w+)/.exec(text)?.[1] ?? 'unknown'}` });
    }
    const asked = /Severity: (\w+)/.exec(text)?.[1] ?? '?';
    return style === 'number'
      ? `[SEV${asked}] ${subjectOf(text.replace(/^Severity: \w+\. /, ''))}`
      : `${asked.toUpperCase()} incident: ${subjectOf(text.replace(/^Severity: \w+\. /, ''))}`;
  });
}

/** The alias (which a version-skew fault moves to NEXT) and the pinned snapshot, served side by side. */
export const triageModels: Readonly<Record<string, ModelConfig>> = {
  [ALIAS]: { brain: triageBrain('number'), version: PINNED, versions: { [NEXT]: triageBrain('label') } },
  [PINNED]: { brain: triageBrain('number') },
};
