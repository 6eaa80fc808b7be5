// Failure mode 3, zero-downtime deployment skew: the model behind an alias and the ticketing tool's
// schema are redeployed on their own schedules, before or during a triage decision.
import { defineScenario, noMixedVersions } from '../../harness/index.ts';
import { hardened, type Incident, naive, type TriageResult } from './agents.ts';
import { noSchemaGarbage } from './properties.ts';
import { buildTicketsServer, TICKETS_SERVER } from './tickets.ts';
import { ALIAS, IMPACTS, NEXT, triageModels } from './triageModels.ts';

const SYMPTOMS: Readonly<Record<(typeof IMPACTS)[number], string>> = {
  outage: 'every request fails',
  degraded: 'p99 latency is above eight seconds',
  minor: 'one request in fifty is retried',
  cosmetic: 'a button is misaligned on the settings page',
};

const drift = { tool: 'create_ticket', field: 'priority', to: 'urgency' } as const;

export const scenario = defineScenario<Incident, TriageResult>({
  name: '03-deployment-skew',
  failureMode: 'Zero-downtime deployment skew',
  description:
    'A triage agent classifies an incident with a model, has it title the ticket and files it on an MCP ticketing server, while the model alias ' +
    'moves to a snapshot that answers in another format and the ticket tool renames its optional priority field, before or during the decision.',
  world: { llm: { models: triageModels }, mcp: { [TICKETS_SERVER]: buildTicketsServer } },
  input: ({ faker }) => {
    const service = faker.helpers.arrayElement(['checkout', 'search', 'login', 'payouts', 'notifications']);
    const impact = faker.helpers.arrayElement(IMPACTS);
    return { service, impact, report: `${service}: ${SYMPTOMS[impact]}. Impact: ${impact}.` };
  },
  faults: [
    // The provider moves the alias to its next snapshot (for every call, or, narrowed, for one).
    // Optional: an agent that pins the dated version never calls the alias, which is the fix.
    { target: `llm:${ALIAS}`, kind: 'version-skew', params: { to: NEXT }, optional: true },
    // ... or moves it while the decision is under way.
    { target: `llm:${ALIAS}`, kind: 'version-skew', when: { afterMs: 600 }, params: { to: NEXT }, optional: true },
    // The ticketing team ships a schema that calls priority "urgency": before the agent connects, or during its run.
    { target: `mcp:${TICKETS_SERVER}`, kind: 'schema-drift', params: drift },
    { target: `mcp:${TICKETS_SERVER}`, kind: 'schema-drift', when: { afterMs: 1_000 }, params: drift },
  ],
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [noMixedVersions(), noSchemaGarbage()],
});
