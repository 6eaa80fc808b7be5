// Goal: `not-ready` is each provider's own answer to a model that cannot serve yet — Bedrock's
// ModelNotReadyException, which the AWS SDK retries on its own, and Azure's DeploymentNotFound for
// a deployment minutes old, which the openai client does not — and it changes nothing, saying why,
// where a provider has no such answer. A naive agent fails on it; a hardened one waits and answers.
// Method: the official clients (the AWS SDK in global mode) against one-rule plans.
import { ModelNotReadyException } from '@aws-sdk/client-bedrock-runtime';
import OpenAI, { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, gracefulDegradation, simulate, spansOf, type World } from '../../harness/index.ts';
import { bedrockAgent, CLAUDE_ON_BEDROCK } from '../adapters/bedrockAgent.ts';
import { openaiClientAgent } from '../adapters/openaiClientAgent.ts';
import { ANSWER, MODEL, weather, weatherBrain } from '../adapters/openaiFixtures.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

const llm = { models: { [CLAUDE_ON_BEDROCK]: weatherBrain, [MODEL]: weatherBrain } };
const statuses = (r: { trace: Parameters<typeof spansOf>[0] }) =>
  spansOf(r.trace)
    .filter((s) => s.kind === 'fetch')
    .map((s) => s.data.status);
const property = gracefulDegradation({ withinMs: 60_000 });

describe('not-ready on Bedrock', () => {
  const go = (agent: (world: World) => Promise<unknown>, faults: FaultPlanInput, seed = 1) =>
    simulate(agent, { seed, llm, tools: [weather], faults, network: 'global' });

  it('is a 429 ModelNotReadyException, retried by the AWS SDK’s own strategy in virtual time', async () => {
    const r = await expectDeterministic((seed) => go(bedrockAgent(false), [{ target: 'llm:bedrock/*', kind: 'not-ready', when: { calls: [0, 1] } }], seed), 2);
    expect(r.outcome, r.message).toBe('ok');
    expect(statuses(r)).toEqual([429, 429, 200, 200]);
  });

  it('fails a naive agent once it outlasts the SDK’s three attempts; a hardened one waits it out', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:bedrock/*', kind: 'not-ready', when: { beforeMs: 20_000 } }];
    const naive = await go(bedrockAgent(false), faults);
    expect(naive.error).toBeInstanceOf(ModelNotReadyException);
    expect(property.check(naive, {}).ok).toBe(false);
    const hardened = await go(async (world) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return (await bedrockAgent(false)(world)).text;
        } catch (error) {
          if (!(error instanceof ModelNotReadyException) || attempt === 5) return 'The assistant is starting up; please try again in a minute.';
          await world.sleep(10_000);
        }
      }
    }, faults);
    expect(hardened.value).toBe(ANSWER);
    expect(property.check(hardened, {}).ok, property.check(hardened, {}).message).toBe(true);
  });
});

describe('not-ready on Azure', () => {
  const azure = (world: World) =>
    new AzureOpenAI({ endpoint: 'https://contoso.openai.azure.com', apiKey: 'k', apiVersion: '2024-10-21', deployment: MODEL, fetch: world.fetch });

  it('is DeploymentNotFound, which the openai client does not retry', async () => {
    const r = await simulate(openaiClientAgent(azure, 'create'), {
      seed: 1,
      llm,
      tools: [weather],
      faults: [{ target: 'llm:azure/*', kind: 'not-ready', when: { calls: [0] } }],
    });
    expect(r.error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((r.error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('DeploymentNotFound');
    expect(statuses(r)).toEqual([404]);
  });
});

describe('not-ready where the provider has no such answer', () => {
  it('changes nothing, and says why in the coverage', async () => {
    const r = await simulate(
      openaiClientAgent((world) => new OpenAI({ apiKey: 'k', fetch: world.fetch }), 'create'),
      {
        seed: 1,
        llm,
        tools: [weather],
        faults: [{ target: 'llm:*', kind: 'not-ready' }],
      },
    );
    expect(r.value?.text).toBe(ANSWER);
    expect(r.coverage.rules[0]).toMatchObject({ fired: 2, changed: 0, noEffect: ['openai has no not-ready answer (only bedrock and azure do)'] });
  });
});
