// A tool-using agent on the official @aws-sdk/client-bedrock-runtime, which sends over node:http2
// and takes no fetch: it runs in global network mode. It asks with Converse (or ConverseStream,
// assembling the turn from the events), runs the weather tool the model calls, sends a toolResult
// back, until the model answers.
import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  type ContentBlock,
  ConverseCommand,
  ConverseStreamCommand,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import type { World } from '../../harness/index.ts';
import { QUESTION } from './openaiFixtures.ts';

export const CLAUDE_ON_BEDROCK = 'anthropic.claude-3-5-haiku-20241022-v1:0';

export interface BedrockAnswer {
  readonly text: string;
  readonly stopReasons: string[];
}

const toolConfig = {
  tools: [
    {
      toolSpec: {
        name: 'weather',
        description: 'Current weather for a city',
        inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    },
  ],
};

/** A client as an agent builds one: a region and credentials (static here; the simulation never checks a signature). */
export function bedrockClient(config: BedrockRuntimeClientConfig = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated-secret' }, ...config });
}

async function turn(client: BedrockRuntimeClient, modelId: string, messages: Message[], stream: boolean): Promise<{ content: ContentBlock[]; stop: string }> {
  if (!stream) {
    const r = await client.send(new ConverseCommand({ modelId, messages, toolConfig }));
    return { content: r.output?.message?.content ?? [], stop: r.stopReason ?? 'none' };
  }
  const r = await client.send(new ConverseStreamCommand({ modelId, messages, toolConfig }));
  let text = '';
  const uses: Array<{ toolUseId: string; name: string; input: string }> = [];
  let stop = 'none';
  for await (const event of r.stream ?? []) {
    const start = event.contentBlockStart?.start?.toolUse;
    if (start !== undefined) uses.push({ toolUseId: start.toolUseId ?? '', name: start.name ?? '', input: '' });
    const delta = event.contentBlockDelta?.delta;
    text += delta?.text ?? '';
    if (delta?.toolUse?.input !== undefined) (uses.at(-1) as { input: string }).input += delta.toolUse.input;
    stop = event.messageStop?.stopReason ?? stop;
  }
  const content: ContentBlock[] = text === '' ? [] : [{ text }];
  for (const use of uses) content.push({ toolUse: { toolUseId: use.toolUseId, name: use.name, input: JSON.parse(use.input) } });
  return { content, stop };
}

/** The weather agent on the AWS SDK, streamed or not. */
export function bedrockAgent(stream: boolean, config: BedrockRuntimeClientConfig = {}, modelId = CLAUDE_ON_BEDROCK) {
  return async (world: World): Promise<BedrockAnswer> => {
    const client = bedrockClient(config);
    const messages: Message[] = [{ role: 'user', content: [{ text: QUESTION }] }];
    const stopReasons: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { content, stop } = await turn(client, modelId, messages, stream);
      stopReasons.push(stop);
      const uses = content.flatMap((b) => (b.toolUse === undefined ? [] : [b.toolUse]));
      if (uses.length === 0) return { text: content.map((b) => b.text ?? '').join(''), stopReasons };
      messages.push({ role: 'assistant', content });
      const results = await Promise.all(
        uses.map(async (use) => ({
          toolResult: { toolUseId: use.toolUseId ?? '', content: [{ json: (await world.tools.call(use.name ?? '', use.input)) as Record<string, never> }] },
        })),
      );
      messages.push({ role: 'user', content: results });
    }
    throw new Error('the model never answered');
  };
}
