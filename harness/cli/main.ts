// The `faultline` command. Until the scenario library lands, `run` runs the demo: the flaky
// provider against its naive and hardened agents over many seeds, and writes a JSON report.
import path from 'node:path';
import { Command } from 'commander';
import { writeFileAtomic } from '../../reports/writeAtomic.ts';
import { flakyProvider, hardenedAgent, naiveAgent } from '../../scenarios/demo/flakyProvider.ts';
import { simulate } from '../simulate.ts';

const program = new Command()
  .name('faultline')
  .description('Deterministic chaos and simulation testing for AI-agent code.')
  .showHelpAfterError();

program
  .command('run')
  .description('Run the built-in demo scenario against its naive and hardened sample agents and write a report.')
  .option('--runs <n>', 'seeds per agent', '50')
  .option('--seed <n>', 'first seed', '1')
  .option('--out <dir>', 'where reports go', 'reports/out')
  .action(async (opts: { runs: string; seed: string; out: string }) => {
    const runs = Number(opts.runs);
    const first = Number(opts.seed);
    const agents = [
      { name: 'naive', agent: naiveAgent, expect: 'fail' as const },
      { name: 'hardened', agent: hardenedAgent, expect: 'pass' as const },
    ];
    const summary = [];
    let expectationsHeld = true;
    for (const { name, agent, expect } of agents) {
      const failures: Array<{ seed: number; message: string; traceHash: string }> = [];
      for (let seed = first; seed < first + runs; seed++) {
        const r = await simulate(agent, { seed, handlers: flakyProvider, scenario: 'demo/flaky-provider' });
        if (r.outcome !== 'ok') failures.push({ seed, message: r.message, traceHash: r.traceHash });
      }
      const held = expect === 'fail' ? failures.length > 0 : failures.length === 0;
      expectationsHeld &&= held;
      const firstFailure = failures[0];
      console.log(
        `${held ? 'ok  ' : 'FAIL'} demo/flaky-provider × ${name}: ${failures.length}/${runs} runs failed ` +
          `(expected to ${expect})` +
          (firstFailure === undefined ? '' : `\n       first failing seed ${firstFailure.seed}: ${firstFailure.message}`),
      );
      summary.push({ agent: name, expect, runs, failures });
    }
    const file = path.join(opts.out, 'demo-report.json');
    await writeFileAtomic(file, `${JSON.stringify({ schema: 'faultline.demo/v0', scenario: 'demo/flaky-provider', summary }, null, 2)}\n`);
    console.log(`report: ${file}`);
    process.exitCode = expectationsHeld ? 0 : 1;
  });

await program.parseAsync(process.argv);
