// Goal: the MCP-sprawl scenario catches a support agent that trusts the tool catalogue it built at
// start-up, connects to its servers without deadlines and keeps one client for the life of the
// process, and passes one that fails closed on changed tools and starts a new session when a server
// forgot its own — whether the agent reaches its servers in-process or over Streamable HTTP.
// Method: checkScenario from five base seeds against each naive agent (each must fail within 200
// runs and shrink to one rule), 500 runs of each hardened agent, same-seed runs compared by trace
// hash, and the same plans run over both transports, whose verdicts must agree.
import { describe, expect, it } from 'vitest';
import { runCase, spansOf } from '../../harness/index.ts';
import type { ScenarioDefinition } from '../../harness/scenario/defineScenario.ts';
import { scenario } from '../../scenarios/06-mcp-sprawl/scenario.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent } from './expectations.ts';

type Agent = typeof scenario.agent;
const agent = (name: string) => scenario.agents?.[name] as Agent;

/** The scenario with its Streamable HTTP agents as its naive and hardened ones, for the shared assertions. */
const overHttp: ScenarioDefinition = { ...scenario, agents: { naive: agent('naive-http'), hardened: agent('hardened-http') } } as ScenarioDefinition;

const failed = (verdicts: ReadonlyArray<{ property: string; ok: boolean }>) => verdicts.filter((v) => !v.ok).map((v) => v.property);

describe('06-mcp-sprawl', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive agent from every base seed, with a one-rule plan');

  itPassesTheHardenedAgent(scenario, 'passes the hardened agent for 500 runs');

  itCatchesTheNaiveAgent(overHttp, 'catches the naive agent over Streamable HTTP from every base seed, with a one-rule plan');

  itPassesTheHardenedAgent(overHttp, 'passes the hardened agent over Streamable HTTP for 500 runs');

  it('flags every call of a tool its server announced as changed, and the hardened agent fails closed instead', async () => {
    const changes = (scenario.faults ?? []).filter((rule) => ['tool-renamed', 'tool-removed', 'schema-drift', 'description-changed'].includes(rule.kind));
    expect(changes).toHaveLength(4);
    for (const rule of changes) {
      const c = { runSeed: 7, plan: [rule], schedule: { kind: 'fifo' } as const };
      const naive = await runCase(scenario, agent('naive'), c);
      expect(naive.verdicts.find((v) => v.property === 'noStaleToolCalls')?.ok, rule.kind).toBe(false);
      const hardened = await runCase(scenario, agent('hardened'), c);
      expect(
        hardened.verdicts.every((v) => v.ok),
        rule.kind,
      ).toBe(true);
      expect(String(hardened.result.value), rule.kind).toMatch(/Unavailable: .*(no longer offered|changed its definition)/);
    }
  });

  it('a session expiry wedges the naive agent over HTTP on the dead session; the hardened one re-initializes and finishes the case', async () => {
    const expiry = (scenario.faults ?? []).filter((rule) => rule.kind === 'session-expired');
    expect(expiry).toHaveLength(1);
    const c = { runSeed: 3, plan: expiry, schedule: { kind: 'fifo' } as const };
    const naive = await runCase(scenario, agent('naive-http'), c);
    expect(failed(naive.verdicts)).toEqual(['gracefulDegradation', 'reinitializesExpiredSessions']);
    expect(naive.verdicts.find((v) => v.property === 'reinitializesExpiredSessions')?.message).toMatch(
      /main sent tools\/call to mcp:crm on session #1 at t=\d+ms and got 404 Session not found, and never started a new session/,
    );
    const hardened = await runCase(scenario, agent('hardened-http'), c);
    expect(failed(hardened.verdicts)).toEqual([]);
    const crmSessions = hardened.result.trace.filter((e) => e.type === 'mark' && e.name === 'mcp.connect' && e.data?.target === 'mcp:crm');
    expect(crmSessions.map((e) => (e.type === 'mark' ? e.data?.session : undefined))).toEqual([1, 2]);
    // The call that got 404 was sent again in the new session (after its initialize), and the case was finished.
    const crm = spansOf(hardened.result.trace).filter((s) => s.target === 'mcp:crm');
    const dead = crm.findIndex((s) => s.data.status === 404);
    expect(crm.slice(dead, dead + 4).map((s) => [s.data.method, s.data.status ?? s.outcome])).toEqual([
      ['tools/call', 404],
      ['initialize', 'ok'],
      ['tools/list', 'ok'],
      ['tools/call', 'ok'],
    ]);
    expect(crm[dead + 3]?.data.tool).toBe(crm[dead]?.data.tool);
    expect(String(hardened.result.value)).toContain('I noted the report on the account.');
    // In-process, the restart closes the connection: the naive agent fails, the hardened one reconnects.
    expect(failed((await runCase(scenario, agent('naive'), c)).verdicts)).toEqual(['gracefulDegradation']);
    const inProcess = await runCase(scenario, agent('hardened'), c);
    expect(failed(inProcess.verdicts)).toEqual([]);
    expect(String(inProcess.result.value)).toContain('I noted the report on the account.');
  });

  it('gives the same verdicts in-process and over Streamable HTTP, for every rule alone and for mixed plans', async ({ annotate }) => {
    const rules = scenario.faults ?? [];
    // Every rule alone, and mixes of three consecutive rules, over a few seeds.
    const plans = [[], ...rules.map((r) => [r]), ...rules.map((_, i) => [0, 1, 2].map((k) => rules[(i + k * 3) % rules.length]))];
    let compared = 0;
    const differing: string[] = [];
    for (const [i, plan] of plans.entries()) {
      const c = { runSeed: 11 + i, plan: plan as typeof rules, schedule: { kind: 'fifo' } as const };
      for (const [local, remote] of [
        ['naive', 'naive-http'],
        ['hardened', 'hardened-http'],
      ] as const) {
        const a = await runCase(scenario, agent(local), c);
        const b = await runCase(scenario, agent(remote), c);
        const label = `${local} vs ${remote} under ${plan.map((r) => `${r?.kind}@${r?.target}`).join(' + ') || 'no faults'}`;
        expect(failed(b.verdicts).length === 0, label).toBe(failed(a.verdicts).length === 0);
        // Whether the agent answered in time and never hung agrees too. The other properties can
        // differ where the transports really do: in-process, a server sends list_changed even to a
        // client whose initialize has not reached it yet; over HTTP there is no session to send it to.
        const live = (verdicts: typeof a.verdicts) => failed(verdicts).filter((p) => p === 'gracefulDegradation' || p === 'noDeadlock');
        expect(live(b.verdicts), label).toEqual(live(a.verdicts));
        if (
          failed(b.verdicts)
            .filter((p) => p !== 'reinitializesExpiredSessions')
            .join() !== failed(a.verdicts).join()
        )
          differing.push(label);
        compared++;
      }
    }
    expect(compared).toBe(2 * (1 + 2 * (scenario.faults ?? []).length));
    const line = `06-mcp-sprawl parity: ${compared} plan × agent pairs, same verdict in all; ${differing.length} differ in which property failed${differing.length > 0 ? ` (${differing.join('; ')})` : ''}`;
    console.log(line);
    await annotate(line);
  });

  it('gives the same trace for the same seed, for each agent', async () => {
    const plan = scenario.faults ?? [];
    for (const name of ['naive', 'hardened', 'naive-http', 'hardened-http']) {
      const c = { runSeed: 42, plan, schedule: { kind: 'fifo' } as const };
      const first = await runCase(scenario, agent(name), c);
      const second = await runCase(scenario, agent(name), c);
      expect(second.result.traceHash, name).toBe(first.result.traceHash);
      expect(first.result.trace.length).toBeGreaterThan(10);
    }
  });
});
