// The half of failure mode 3 that noMixedVersions does not cover: a schema mismatch between the
// agent and a separately deployed model or tool is detected, not parsed into garbage. Concretely,
// a ticket the run reports as filed carries what its incident calls for; a run that noticed the
// mismatch escalated instead, which is fine.
import { type Property, property, type TraceEvent } from '../../harness/index.ts';
import type { Incident, TriageResult } from './agents.ts';
import type { Priority } from './tickets.ts';
import { IMPACTS } from './triageModels.ts';

const EXPECTED: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];
const DEPLOYS = new Set(['schema-drift', 'version-skew']);

type Mark = Extract<TraceEvent, { type: 'mark' }>;

export function noSchemaGarbage(): Property {
  return property('noSchemaGarbage', 'Every ticket reported as filed carries the priority, service and title its incident calls for.', (r, { input }) => {
    if (r.outcome !== 'ok') return undefined;
    const out = r.value as TriageResult | undefined;
    if (out?.status !== 'filed') return undefined;
    const incident = input as Incident;
    const expected = EXPECTED[IMPACTS.indexOf(incident.impact)] as Priority;
    const t = out.ticket;
    const wrong: string[] = [];
    if (t?.priority !== expected) wrong.push(`priority ${JSON.stringify(t?.priority)} where an ${incident.impact} calls for "${expected}"`);
    if (t?.service !== incident.service) wrong.push(`service ${JSON.stringify(t?.service)} instead of "${incident.service}"`);
    if (typeof t?.title !== 'string' || !t.title.includes(incident.report.split('.')[0] as string)) wrong.push(`title ${JSON.stringify(t?.title)}`);
    if (wrong.length === 0) return undefined;
    const deploys = r.trace.filter((e): e is Mark => e.type === 'mark' && e.name === 'fault' && DEPLOYS.has(String(e.data?.kind)));
    const firsts = [...new Map(deploys.map((m) => [String(m.data?.rule), m])).values()];
    const cause = firsts.length === 0 ? '' : `; deployed meanwhile: ${firsts.map((m) => `${String(m.data?.rule)} (from t=${m.t}ms)`).join(', ')}`;
    return {
      message: `Ticket ${String(t?.id)} was reported filed with ${wrong.join(' and ')}: a mismatched schema was parsed into garbage${cause}.`,
      spans: deploys.map((m) => m.span).filter((s): s is number => s !== undefined),
    };
  });
}
