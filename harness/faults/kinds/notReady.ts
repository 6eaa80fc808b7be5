// not-ready: the model is there but cannot serve yet (still loading, scaling from zero, a deployment
// minutes old), and the provider says so with its own error. Only some providers have such an
// answer; elsewhere the rule changes nothing and says why.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

/** The providers that answer a model that cannot serve yet with an error of their own. */
export const NOT_READY_PROVIDERS: ReadonlySet<string> = new Set(['bedrock', 'azure']);

export const notReady = defineFaultKind({
  kind: 'not-ready',
  summary: 'The model is not ready to serve yet (loading, scaling up, a new deployment), and the provider answers with its own not-ready error.',
  params: none,
  layers: {
    llm: 'the provider’s not-ready error, before the model runs: Bedrock’s ModelNotReadyException (retried by the AWS SDK) or Azure’s DeploymentNotFound for a deployment minutes old; providers without one change nothing',
  },
  apis: {
    'bedrock.converse':
      '429 with `x-amzn-ErrorType: ModelNotReadyException` and `{"message":"The model specified in the request is not ready to serve inference requests. Try again later."}`; the AWS SDK retries it, as a 429 on the throttling backoff (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html: "The AWS SDK will automatically retry the operation")',
    'azure.openai':
      '404 `{ error: { code: "DeploymentNotFound", message: "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again." } }`, which the openai client does not retry',
    'openai.chat': 'api.openai.com and the OpenAI-compatible hosts have no not-ready answer: no effect',
    'openai.responses': 'as Chat Completions',
    'anthropic.messages': 'the Messages API has no not-ready answer: no effect',
    'gemini.generateContent': 'the Gemini API has no not-ready answer (an overloaded model is server-error 503 UNAVAILABLE): no effect',
    direct: 'world.llm has no provider: no effect',
  },
});
