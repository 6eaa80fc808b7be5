// The report format, `faultline.report/v1`, as a zod schema: the one source of truth for what a
// report holds. The JSON Schema in report.schema.json is generated from it (reportJsonSchema.ts),
// readReport validates against it, and every field carries the sentence that documents it.
// A change that removes or retypes a field is a new version; adding an optional field is not.
import { z } from 'zod';

export const REPORT_SCHEMA = 'faultline.report/v1';

const json = z.json().meta({ id: 'JsonValue', description: 'Any JSON value.' });
const ms = (what: string) => z.number().min(0).describe(`${what} (virtual milliseconds since the run started).`);
const data = z.record(z.string(), json).describe('Details of the event as recorded by the yield point (redacted).');

const verdict = z
  .object({
    property: z.string().describe("The property's name."),
    ok: z.boolean().describe('True when the property held on this run.'),
    message: z.string().describe('One sentence: what held, or what was violated and where.'),
    ops: z.array(z.number().int().min(0)).optional().describe('Indices into `history` of the operations involved in a violation.'),
    spans: z.array(z.number().int().min(1)).optional().describe('Ids of the trace spans involved in a violation.'),
    vacuous: z.string().optional().describe('Set when the property held only because what it judges was not in the run: what was missing.'),
  })
  .meta({ id: 'Verdict', description: "A property's verdict on the run." });

const totals = {
  attempts: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('LLM requests that reached a provider, refused ones (429, 5xx, 400) included: what limits.budget.llmCalls bounds.'),
  calls: z.number().int().min(0).describe('LLM calls that were billed (retries included).'),
  inputTokens: z.number().int().min(0).describe('Prompt tokens billed.'),
  outputTokens: z.number().int().min(0).describe('Completion tokens billed.'),
  usd: z.number().min(0).describe("Cost in US dollars at the run's price table."),
};
const spendTotals = z.object(totals).meta({ id: 'SpendTotals', description: 'Totals over a set of LLM calls.' });
const spendEntry = z
  .object({
    t: ms('When the call was billed'),
    actor: z.string().describe('The actor that made the call.'),
    model: z.string().describe('The model billed (the version served, after any version skew).'),
    span: z.number().int().min(1).describe('The trace span of the LLM attempt.'),
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    usd: totals.usd,
  })
  .meta({ id: 'SpendEntry', description: 'One billed LLM call.' });

const spanStart = z.object({
  type: z.literal('span.start'),
  seq: z.number().int().min(0).describe('Position in the trace, from 0.'),
  t: ms('When the event happened'),
  span: z.number().int().min(1).describe("The span's id, counting up from 1 in the order spans open."),
  parent: z.number().int().min(1).optional().describe("The enclosing span (an actor's span for its calls); absent only for the main actor."),
  actor: z.string().describe('The actor that made the call.'),
  kind: z
    .string()
    .describe('What the span is: actor, fetch, sleep, llm.call (a logical call), llm (one attempt), tool, mcp, store, lock, semaphore, receive, send, join, …'),
  target: z.string().describe('The yield point, e.g. `llm:gpt-4o`, `tool:search`, `store:bank`; fault rules match on it.'),
  data: data.optional(),
});
const stamp = { seq: spanStart.shape.seq, t: spanStart.shape.t };
const traceEvent = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('run.start'), ...stamp, seed: z.string().describe("The run's seed.") }),
    spanStart,
    z.object({
      type: z.literal('span.end'),
      ...stamp,
      span: spanStart.shape.span,
      outcome: z.string().describe('How the span ended: ok, error, aborted, fault, unfinished, …'),
      data: data.optional(),
    }),
    z.object({
      type: z.literal('mark'),
      ...stamp,
      name: z.string().describe('fault, taint, crash, deadlock, heal.start, stream.stall, stream.cut, problem:<kind>, …'),
      actor: z.string().optional().describe('The actor it concerns, when one does.'),
      span: z.number().int().min(1).optional().describe('The span it happened in, when one did.'),
      data: data.optional(),
    }),
    z.object({ type: z.literal('run.end'), ...stamp, outcome: z.string().describe('How the run ended.') }),
  ])
  .meta({ id: 'TraceEvent', description: "One event of the run's trace. Spans are joined from span.start and span.end by `span`." });

const historyOp = z
  .object({
    index: z.number().int().min(0).describe('Position in the history, from 0.'),
    op: z.number().int().min(0).describe('Pairs an invocation with its completion.'),
    type: z.enum(['invoke', 'ok', 'fail', 'info']).describe('invoke, then ok (it happened), fail (it did not) or info (it may have).'),
    process: z.string().describe('The actor that made the call.'),
    store: z.string().describe("The store's name."),
    f: z.string().describe('The operation: read, write, cas, append, delete, query, …'),
    key: z.string().describe("The entity the operation is about ('' for whole-store operations)."),
    value: json.optional().describe('invoke: the argument; ok: the result.'),
    version: z.number().int().optional().describe('The version read or created.'),
    idempotencyKey: z.string().optional().describe("The client's idempotency key, when it gave one."),
    t: ms('When the event happened'),
  })
  .meta({ id: 'HistoryOp', description: 'A store operation event, Jepsen style.' });

const outcome = z.enum(['ok', 'threw', 'crashed', 'deadlock', 'livelock', 'timeout', 'budget']);

export const reportSchema = z
  .object({
    schema: z.literal(REPORT_SCHEMA).describe('The format and its version. Readers reject versions they do not know.'),
    scenario: z
      .object({
        name: z.string().min(1).describe("The scenario's name."),
        failureMode: z.string().optional().describe('The failure mode it exercises, as FAILURE-MODES.md names it.'),
        description: z.string().optional().describe('What the scenario does, in a sentence or two.'),
        file: z.string().optional().describe('The scenario file, relative to the project root.'),
      })
      .describe('The scenario that ran.'),
    agent: z.string().optional().describe('The agent that ran: a name, or `path/to/agents.ts#export`.'),
    seed: z
      .string()
      .describe(
        "The seed to quote: the check's seed when the run is a case a check found (with `path` it names the case, and replay commands use it), else the run's own seed.",
      ),
    runSeed: z
      .string()
      .optional()
      .describe('The seed the run itself was simulated with, when it differs from `seed`; with `faults` and `schedule` it determines the run.'),
    path: z.string().optional().describe("The case's fast-check path within the check (printed as FAULTLINE_PATH / --path)."),
    expected: z.enum(['pass', 'fail']).optional().describe('What the agent was expected to do (sample agents): an index shows whether the expectation held.'),
    passed: z.boolean().describe('True when every property held (with no properties, when the run ended ok) and the check tested something.'),
    untested: z
      .string()
      .optional()
      .describe(
        'Why the check tested nothing (a fault rule that matched nothing, a property that never had anything to judge); such a check fails whatever was expected.',
      ),
    outcome: outcome.describe('How the run ended: ok, threw, crashed, deadlock, livelock, timeout (virtual-time limit) or budget.'),
    message: z.string().describe('One or two sentences on how the run ended, with the virtual time and what to do.'),
    virtualTimeMs: z.number().min(0).describe('How long the run took, in virtual milliseconds.'),
    traceHash: z
      .string()
      .regex(/^[0-9a-f]{16,}$/)
      .describe("The stable hash of the run's trace; a replay must reproduce it."),
    replay: z.string().optional().describe('The exact shell command that reproduces the run.'),
    runs: z
      .object({
        total: z.number().int().min(0).describe('Runs made before this report was written.'),
        failed: z.number().int().min(0).describe('How many of them failed.'),
        firstFailureAt: z.number().int().min(1).optional().describe('The 1-based number of the first failing run.'),
        shrinkSteps: z.number().int().min(0).optional().describe('Shrinking steps from that failure to the run reported.'),
        shrinkCut: z
          .string()
          .optional()
          .describe(
            'Present when the shrink stopped before it was done (reruns that hit the wall-clock limit used up timeoutShrinkMs): why; the run reported fails but is not minimal.',
          ),
      })
      .optional()
      .describe('How the run in this report was found.'),
    coverage: z
      .object({
        runs: z.number().int().min(0).describe('Runs the coverage sums over.'),
        targets: z.record(z.string(), z.number().int().min(0)).describe('Every yield point the runs visited, with its calls.'),
        rules: z
          .array(
            z.object({
              rule: z.string().describe("The rule's id."),
              kind: z.string().describe('Its fault kind.'),
              target: z.string().describe('Its target glob.'),
              optional: z.boolean().describe('True when the rule may match nothing without failing the check.'),
              visited: z.boolean().describe('True when its target matched a yield point the runs had.'),
              matched: z.number().int().min(0).describe('Calls at yield points its target matched.'),
              fired: z.number().int().min(0).describe('Calls it selected (its `when` held).'),
              changed: z.number().int().min(0).describe('Selected calls on which it changed what the caller saw.'),
              runsOn: z.number().int().min(0).describe('Runs in which it was switched on.'),
              noEffect: z.array(z.string()).describe('Why it changed nothing when it fired.'),
            }),
          )
          .describe('Per rule of the fault space.'),
        unmatched: z
          .array(
            z.object({
              rule: z.string().describe("The rule's id."),
              target: z.string().describe('Its target glob.'),
              nearest: z.string().optional().describe('The visited yield point nearest to it.'),
            }),
          )
          .describe('Rules whose target matched no yield point in any run: each fails the check.'),
      })
      .optional()
      .describe('Fault coverage: what each rule of the fault space matched, fired and changed.'),
    verdicts: z.array(verdict).describe("The verdicts of the scenario's properties on this run."),
    faults: z
      .array(
        z
          .looseObject({
            id: z.string().optional().describe("The rule's name; fault marks in the trace use it (default `<kind>@<target>`)."),
            target: z.string().describe('The yield points it targets, by glob.'),
            kind: z.string().describe('The fault kind (see harness/faults/plan.ts).'),
            when: z.record(z.string(), json).optional().describe('Which calls it selects.'),
            params: z.record(z.string(), json).optional().describe("The kind's parameters, defaults filled in."),
          })
          .meta({ id: 'FaultRule', description: 'A fault rule; harness/faults/plan.ts is its full schema.' }),
      )
      .describe('The fault plan the run used, with defaults filled in.'),
    schedule: z
      .object({
        strategy: z.looseObject({ kind: z.string().describe('fifo, random, pct or replay.') }).describe('The interleaving strategy.'),
        choices: z
          .array(z.string())
          .describe(
            'The choices it made among events ready at once: the actor whose event went next (\'\' for first-in-first-out). `{ kind: "replay", choices }` replays them.',
          ),
      })
      .describe('How events ready at the same virtual instant were ordered.'),
    spend: z
      .object({
        ...totals,
        byActor: z.record(z.string(), spendTotals).describe('Totals per actor.'),
        byModel: z.record(z.string(), spendTotals).describe('Totals per model.'),
        entries: z.array(spendEntry).describe('Every billed call, in order.'),
      })
      .describe('LLM spend: calls, tokens and dollars, retries included.'),
    actors: z
      .array(
        z.object({
          name: z.string().describe("The actor's unique name (`main` for the agent itself)."),
          parent: z.string().optional().describe('The actor that spawned it.'),
          state: z.string().describe('running, ok, threw or crashed, when the run ended.'),
          spawnedAt: ms('When it started'),
          endedAt: ms('When it ended').optional(),
        }),
      )
      .describe('Every actor of the run.'),
    blocked: z
      .array(
        z.object({
          actor: z.string().describe('The unfinished actor.'),
          waitingOn: z.array(z.string()).describe('The world calls it waits on, e.g. `lock "ledger"`.'),
          explanation: z.string().describe('What it waits on and since when, in a sentence.'),
        }),
      )
      .describe('For a deadlock: each unfinished actor and what it waits on.'),
    cycle: z
      .object({
        edges: z
          .array(
            z.object({
              waiter: z.string().describe('The actor that waits.'),
              wait: z.string().describe('What it waits on.'),
              holder: z.string().describe('The actor that must act for the wait to end.'),
              since: ms('When the wait began'),
            }),
          )
          .describe('The waits that form the cycle.'),
        formedAt: ms('When the cycle closed'),
        sentence: z.string().describe('Who waits for whom, on what.'),
      })
      .optional()
      .describe('For a deadlock with a cycle of waits: the cycle.'),
    problems: z
      .array(
        z.object({
          kind: z.string().describe('unhandled-request, real-network, handler-threw, unknown-model, unoffered-tool, …'),
          message: z.string().describe('What happened and what to do.'),
          actor: z.string().optional().describe('The actor concerned.'),
          t: ms('When it happened'),
        }),
      )
      .describe('Things the harness noticed that are not faults of the agent (unhandled requests, real network calls).'),
    heal: z
      .object({
        outcome: outcome.describe('How the heal agent ended.'),
        value: json.optional().describe('What it returned.'),
        error: z.string().optional().describe('What it threw, as `Name: message`.'),
        message: z.string().describe('How the heal phase ended, in a sentence.'),
        endedAt: ms('When the heal phase ended'),
      })
      .optional()
      .describe('How the fault-free heal phase went, when there was one.'),
    value: json.optional().describe('What the agent returned, when it returned (redacted).'),
    error: z.string().optional().describe('What the agent threw, as `Name: message` (redacted).'),
    history: z.array(historyOp).describe('Every store operation, Jepsen style.'),
    effects: z
      .array(
        z.looseObject({
          store: z.string().describe('The store.'),
          key: z.string().describe('The entity changed.'),
          f: z.string().describe('The operation applied.'),
          op: z.number().int().describe('The history op that caused it.'),
          t: ms('When it was applied'),
        }),
      )
      .describe('What the stores actually applied, which a client may not know.'),
    toolCalls: z
      .array(
        z.object({
          span: z.number().int().optional().describe("The call's span in the trace."),
          t: ms('When the agent made the call'),
          actor: z.string().describe('Who made it.'),
          tool: z.string().describe('The tool name the agent called.'),
          args: json.optional().describe('The arguments (redacted).'),
          outcome: z.enum(['ok', 'error', 'pending']).describe('How it answered; pending when it never did.'),
          result: json.optional().describe('What it returned (redacted).'),
          error: z.string().optional().describe('What it threw (redacted).'),
        }),
      )
      .optional()
      .describe('Every tool call with its arguments and how it answered.'),
    stores: z
      .record(
        z.string(),
        z.record(
          z.string(),
          z.object({
            version: z.number().int().describe('The latest version.'),
            value: json.optional().describe('Its value.'),
            entry: z.literal(true).optional().describe("A log's own entry (`<topic>#<offset>`), not an entity other stores hold."),
          }),
        ),
      )
      .describe('The final state of every store: store → key → { version, value }.'),
    stats: z
      .object({
        steps: z.number().int().min(0).describe('Kernel steps taken.'),
        traceEvents: z.number().int().min(0).describe('Events in the trace.'),
      })
      .describe('The size of the run.'),
    trace: z.array(traceEvent).describe("The run's trace, in order (redacted)."),
  })
  .meta({ id: 'FaultlineReport', title: 'Faultline report v1', description: 'One run of a scenario, the verdicts of its properties, and how to replay it.' });

export type Report = z.output<typeof reportSchema>;
export type ReportTraceEvent = z.output<typeof traceEvent>;
export type ReportVerdict = z.output<typeof verdict>;
export type ReportHistoryOp = z.output<typeof historyOp>;
