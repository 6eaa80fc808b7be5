// The `faultline` command, built on commander.
//
// Exit codes: 0 every expectation held (or the replay reproduced the report); 1 an expectation
// did not hold (or a replay diverged); 2 bad usage or an invalid scenario, report or plan; 3 a
// Faultline bug (the stack trace is printed for the bug report).
//
// Each command imports what it uses when it runs (the harness, the reports), not when this file
// loads: loading the harness takes a second or more on a small machine, and `--help` or a usage
// error needs none of it (bench/startup.ts).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isReportError } from '../../reports/reportError.ts';
import { DEFAULT_REPORTS_DIR } from '../../reports/reportsDir.ts';
import type { FaultRuleInput } from '../faults/plan.ts';
import { FaultlineError, isFaultlineError } from '../sim/errors.ts';
import { redactOutput } from '../sim/redact.ts';
import type { StrategyOptions } from '../sim/strategy.ts';

// Everything this command prints passes through redaction: the credentials any run saw on a
// request (by value) and whatever looks like one, so a key echoed by a tool, a model or a failing
// property never reaches the terminal or the CI log. Installed for one runCli call and removed
// after it, so a program that calls runCli gets its streams back as they were.
function redactStreams(): () => void {
  const restore: Array<() => void> = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    const write = original.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(
        typeof chunk === 'string' ? redactOutput(chunk) : chunk instanceof Uint8Array ? redactOutput(Buffer.from(chunk).toString('utf8')) : chunk,
        ...rest,
      )) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  return () => {
    for (const undo of restore) undo();
  };
}

const integer =
  (name: string, min = 0) =>
  (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, got "${value}"`);
    }
    return n;
  };

/** A fast-check path as printed by a failure: numbers separated by colons. */
const fastCheckPath = (value: string) => {
  if (!/^\d+(:\d+)*$/.test(value.trim())) throw new InvalidArgumentError(`--path must be the path a failure printed, such as 12:0:3, got "${value}"`);
  return value.trim();
};

/** `--shard i/n`: the i-th (from 1) of n slices of every check's runs. */
const shardOption = (value: string) => {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || index < 1 || count < 1 || index > count) {
    throw new InvalidArgumentError(`--shard must be i/n with 1 ≤ i ≤ n, such as 2/4 (the 2nd of 4 shards), got "${value}"`);
  }
  return { index, count };
};

const program = new Command()
  .name('faultline')
  // Usage errors throw instead of exiting with commander's code 1, so that they exit 2 as documented.
  .exitOverride()
  .description('Deterministic chaos and simulation testing for AI-agent code.')
  .showHelpAfterError()
  .addHelpText('after', '\nExit codes: 0 every expectation held, 1 one did not (or a replay diverged), 2 bad usage or invalid input, 3 a Faultline bug.');

program
  .command('run')
  .description('Run scenarios against their agents and write reports. With no scenarios, every built-in scenario against its naive and hardened sample agents.')
  .argument('[scenarios...]', 'scenario files (.yaml, .json, .ts exporting `scenario`) or built-in ids (see `faultline list`)')
  .option('--runs <n>', "runs per agent, at least 1 (default: the scenario's, else 100)", integer('--runs', 1))
  .option('--seed <n>', 'fast-check seed (default: derived from the scenario name)', integer('--seed'))
  .option('--path <path>', 'replay the counterexample at this fast-check path (printed by a failure)', fastCheckPath)
  .option('--agent <name>', 'run only this sample agent')
  .option('--out <dir>', 'where reports go (default: FAULTLINE_REPORTS_DIR, else faultline-reports)', process.env.FAULTLINE_REPORTS_DIR || DEFAULT_REPORTS_DIR)
  .option('--determinism', 'run every case twice and fail on any trace difference')
  .option('--allow-outside-project', 'let scenario files import modules outside the project (they run code)')
  .option('--no-progress', 'no progress line, even on a terminal')
  .option(
    '--workers <n>',
    'worker threads for the runs, at least 1 (default: the available cores, but one per 2,500 runs); results do not depend on it',
    integer('--workers', 1),
  )
  .option(
    '--shard <i/n>',
    "run only the i-th of n slices of every check's runs (default: FAULTLINE_SHARD); merge the outputs with `report --merge`",
    shardOption,
  )
  .action(
    async (
      refs: string[],
      opts: {
        shard?: { index: number; count: number };
        runs?: number;
        seed?: number;
        path?: string;
        agent?: string;
        out: string;
        determinism?: boolean;
        progress: boolean;
        allowOutsideProject?: boolean;
        workers?: number;
      },
    ) => {
      const { allowOutsideProject, ...rest } = opts;
      if (opts.shard !== undefined && opts.path !== undefined) {
        throw usage('--shard and --path do not go together: a replay (--seed with --path) runs the one case it names. Leave --shard out to replay');
      }
      const { runScenarios } = await import('./runCommand.ts');
      const { outcomes, index } = await runScenarios(refs, {
        ...rest,
        allowOutsideRoot: allowOutsideProject === true,
        ...(opts.progress ? {} : { progress: false }),
      });
      const broken = outcomes.filter((o) => !o.held);
      console.log(
        `\n${outcomes.length - broken.length} of ${outcomes.length} expectations held` +
          (broken.length === 0 ? '.' : `; not: ${broken.map((o) => `${o.scenario} × ${o.agent} (expected to ${o.expected})`).join(', ')}.`) +
          `\nreport: ${index}`,
      );
      process.exitCode = broken.length === 0 ? 0 : 1;
    },
  );

// soak's --for is read by soakCommand.ts's parseDuration, a synchronous option parser: the module
// is imported when the soak command is chosen, before commander parses its options.
let soakCommand: typeof import('./soakCommand.ts') | undefined;
program.hook('preSubcommand', async (_program, command) => {
  if (command.name() === 'soak') soakCommand ??= await import('./soakCommand.ts');
});

const duration = (value: string) => {
  if (soakCommand === undefined) throw new FaultlineError('HARNESS_BUG', { what: 'soak --for was parsed before soakCommand.ts was loaded' });
  const ms = soakCommand.parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`--for must be a duration such as 30s, 10m or 1h, got "${value}"`);
  return ms;
};

program
  .command('soak')
  .description(
    'Keep generating fresh cases until the time is spent (batches from seed, seed+1, …), and list every distinct failure once with its replay command. Soaks the agents expected to pass unless --agent names one.',
  )
  .argument('[scenarios...]', 'scenario files or built-in ids (default: every built-in scenario)')
  .requiredOption('--for <duration>', 'how long to soak, shared by the scenarios: 30s, 10m, 1h', duration)
  .option('--seed <n>', "the first batch's fast-check seed (default: derived from the scenario name)", integer('--seed'))
  .option('--agent <name>', 'soak only this agent')
  .option('--batch-runs <n>', 'runs per batch, at most (default 50)', integer('--batch-runs', 1))
  .option(
    '--workers <n>',
    'worker threads for the runs, at least 1 (default: the available cores, but one per 10 s of --for); the failures found do not depend on it',
    integer('--workers', 1),
  )
  .option('--allow-outside-project', 'let scenario files import modules outside the project (they run code)')
  .option('--no-progress', 'no progress line, even on a terminal')
  .action(
    async (
      refs: string[],
      opts: { for: number; seed?: number; agent?: string; batchRuns?: number; workers?: number; allowOutsideProject?: boolean; progress: boolean },
    ) => {
      const { soakScenarios } = await import('./soakCommand.ts');
      const reports = await soakScenarios(refs, {
        forMs: opts.for,
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        ...(opts.agent === undefined ? {} : { agent: opts.agent }),
        ...(opts.batchRuns === undefined ? {} : { batchRuns: opts.batchRuns }),
        ...(opts.workers === undefined ? {} : { workers: opts.workers }),
        allowOutsideRoot: opts.allowOutsideProject === true,
        progress: opts.progress,
      });
      const failures = reports.reduce((n, r) => n + r.failures.length, 0);
      const uncovered = reports.some((r) => r.coverage.unmatched.length > 0);
      const runs = reports.reduce((n, r) => n + r.runs, 0);
      console.log(
        `\nsoak: ${runs} runs, ${failures} distinct failure${failures === 1 ? '' : 's'}${uncovered ? ', and a fault rule that matched nothing' : ''}.`,
      );
      process.exitCode = failures > 0 || uncovered ? 1 : 0;
    },
  );

program
  .command('replay')
  .description('Replay the run a report describes and check that it reproduces the same trace hash.')
  .argument('<report>', 'a report JSON file written by `faultline run`')
  .option('--out <dir>', "write the replayed run's report here too")
  .option('--allow-outside-project', 'let the report name a scenario outside the project (importing it runs code)')
  .action(async (file: string, opts: { out?: string; allowOutsideProject?: boolean }) => {
    const [{ readReport }, { writeReport }, { runCase }, { resolveScenario }] = await Promise.all([
      import('../../reports/jsonReport.ts'),
      import('../../reports/writeReports.ts'),
      import('../check/checkScenario.ts'),
      import('./scenarios.ts'),
    ]);
    const report = await readReport(file);
    const ref = report.scenario.file;
    if (ref === undefined) {
      throw usage(
        `${file} does not say which scenario file it came from (scenario.file)${report.replay === undefined ? '' : `; it came from a test: replay it with\n  ${report.replay}`}`,
      );
    }
    const { scenario } = await resolveScenario(ref, { from: 'file', allowOutsideRoot: opts.allowOutsideProject === true });
    const agent = report.agent === undefined ? scenario.agent : scenario.agents?.[report.agent];
    if (agent === undefined) throw usage(`scenario ${ref} has no agent "${report.agent}"`);
    const run = await runCase(scenario, agent, {
      runSeed: Number(report.runSeed ?? report.seed),
      plan: report.faults as unknown as FaultRuleInput[],
      schedule: report.schedule.strategy as unknown as StrategyOptions,
    });
    const same = run.result.traceHash === report.traceHash;
    console.log(`${same ? 'reproduced' : 'DIVERGED'}: ${report.scenario.name} × ${report.agent ?? 'agent'}, seed ${report.seed}: ${run.result.message}`);
    console.log(`trace hash ${run.result.traceHash}${same ? ' (as reported)' : ` (the report has ${report.traceHash})`}`);
    for (const v of run.verdicts) console.log(`  ${v.ok ? 'ok  ' : 'FAIL'} ${v.property}: ${v.message}`);
    if (opts.out !== undefined) {
      const written = await writeReport(opts.out, {
        scenario: report.scenario,
        ...(report.agent === undefined ? {} : { agent: report.agent }),
        result: run.result,
        verdicts: run.verdicts,
      });
      console.log(`report: ${path.relative(process.cwd(), written.html)}`);
    }
    process.exitCode = same ? 0 : 1;
  });

program
  .command('list')
  .description('List the built-in scenarios, their failure modes and sample agents.')
  .action(async () => {
    const { allBuiltIns, skipLine } = await import('./scenarios.ts');
    const { runnable, skipped } = await allBuiltIns();
    for (const { ref, scenario } of runnable) {
      const agents = Object.entries(scenario.expectations ?? {})
        .map(([a, e]) => `${a} (expected to ${e})`)
        .join(', ');
      console.log(`${ref.padEnd(28)} ${scenario.failureMode ?? ''}\n${' '.repeat(29)}${scenario.description ?? ''}\n${' '.repeat(29)}agents: ${agents}`);
    }
    for (const s of skipped) console.log(skipLine(s));
  });

program
  .command('report')
  .description('Render a report JSON file as HTML, or export its trace; or merge the outputs of sharded runs (--merge) into one index and JUnit file.')
  .argument('[report]', 'a report JSON file')
  .option('--html [file]', 'write the HTML report (default: beside the JSON)')
  .option('--chrome [file]', 'write a Chrome trace (opens in Perfetto)')
  .option('--otlp [file]', 'write OpenTelemetry OTLP JSON')
  .option('--junit [file]', 'write JUnit XML')
  .option('--merge <dirs...>', 'the --out directories of `faultline run --shard i/n`, one per shard: write one index, one JUnit file, failures deduplicated')
  .option(
    '--out <dir>',
    'where the merge goes (default: FAULTLINE_REPORTS_DIR, else faultline-reports)',
    process.env.FAULTLINE_REPORTS_DIR || DEFAULT_REPORTS_DIR,
  )
  .action(
    async (
      file: string | undefined,
      opts: { html?: string | true; chrome?: string | true; otlp?: string | true; junit?: string | true; merge?: string[]; out: string },
    ) => {
      if (opts.merge !== undefined) {
        if (file !== undefined || opts.html !== undefined || opts.chrome !== undefined || opts.otlp !== undefined || opts.junit !== undefined) {
          throw usage(
            `--merge takes shard directories and writes to --out; ${file === undefined ? 'the export options do' : `the report "${file}" does`} not go with it. Run them as two commands`,
          );
        }
        await mergeCommand(opts.merge, opts.out);
        return;
      }
      if (file === undefined) throw usage('report needs a report JSON file (faultline report <report.json>), or --merge with shard directories');
      await exportReport(file, opts);
    },
  );

async function mergeCommand(dirs: readonly string[], out: string): Promise<void> {
  const { mergeShardReports } = await import('./mergeReports.ts');
  const merged = await mergeShardReports(dirs, out);
  for (const o of merged.outcomes) {
    const found = o.failures.length === 0 ? 'no failure' : `${o.failures.length} distinct failure${o.failures.length === 1 ? '' : 's'}`;
    console.log(`${o.held ? 'ok  ' : 'FAIL'} ${o.scenario} × ${o.agent}: ${found} in ${o.runs} runs (expected to ${o.expected})`);
    for (const f of o.failures)
      console.log(`       ${f.signature} found by shard ${f.shards.join(', ')}${f.replay === undefined ? '' : `; replay: ${f.replay}`}`);
  }
  const broken = merged.outcomes.filter((o) => !o.held);
  console.log(
    `\nmerged ${merged.shards} shard${merged.shards === 1 ? '' : 's'}: ${merged.outcomes.length - broken.length} of ${merged.outcomes.length} expectations held` +
      (broken.length === 0 ? '.' : `; not: ${broken.map((o) => `${o.scenario} × ${o.agent} (expected to ${o.expected})`).join(', ')}.`) +
      `\nreport: ${path.relative(process.cwd(), merged.index)}\njunit: ${path.relative(process.cwd(), merged.junit)}`,
  );
  process.exitCode = broken.length === 0 ? 0 : 1;
}

async function exportReport(file: string, opts: { html?: string | true; chrome?: string | true; otlp?: string | true; junit?: string | true }): Promise<void> {
  const [{ readReport }, { reportHtml }, { chromeTraceJson }, { otlpJson }, { junitXml }, { writeFileAtomic }] = await Promise.all([
    import('../../reports/jsonReport.ts'),
    import('../../reports/htmlReport.ts'),
    import('../../reports/exports/chromeTrace.ts'),
    import('../../reports/exports/otlp.ts'),
    import('../../reports/exports/junit.ts'),
    import('../../reports/writeAtomic.ts'),
  ]);
  const report = await readReport(file);
  const base = file.replace(/\.json$/, '');
  const targets: Array<[string | true | undefined, string, () => string]> = [
    [
      opts.html ?? (opts.chrome === undefined && opts.otlp === undefined && opts.junit === undefined ? true : undefined),
      `${base}.html`,
      () => reportHtml(report),
    ],
    [opts.chrome, `${base}.trace.json`, () => chromeTraceJson(report)],
    [opts.otlp, `${base}.otlp.json`, () => otlpJson(report)],
    [opts.junit, `${base}.junit.xml`, () => junitXml([report])],
  ];
  for (const [wanted, fallback, render] of targets) {
    if (wanted === undefined) continue;
    const target = wanted === true ? fallback : wanted;
    await writeFileAtomic(target, render());
    console.log(`wrote ${target}`);
  }
}

function usage(what: string): Error {
  return Object.assign(new Error(what), { exitCode: 2 });
}

/**
 * Runs the `faultline` command with `argv` (as `process.argv`: node, script, then arguments) and
 * resolves to its exit code (see the top of this file); what it prints goes to stdout and stderr,
 * with every credential a run saw masked.
 */
export async function runCli(argv: readonly string[] = process.argv): Promise<number> {
  process.exitCode = undefined;
  const unredact = redactStreams();
  try {
    await program.parseAsync([...argv]);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    // commander has printed a usage error already; help and --version are not errors.
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
    }
    // Errors about the user's input are for people: the message, not a stack trace. Anything else
    // is a Faultline bug, and its stack is what a bug report needs.
    const forPeople = isFaultlineError(error) || isReportError(error) || (error as { exitCode?: number }).exitCode === 2;
    console.error(forPeople ? (error as Error).message : String((error as Error).stack ?? error));
    return forPeople ? 2 : 3;
  } finally {
    unredact();
  }
}

// Run as a program (`tsx harness/cli/main.ts …` in this repository; bin/faultline.js in the package).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await runCli();
}
