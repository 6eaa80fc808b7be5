// `npm run bench`: every benchmark, each printing a markdown section with its baselines measured in
// the same run. Paste the output into bench/README.md when the numbers change.
import os from 'node:os';
import { checkersBench } from './checkers.ts';
import { detectionBench } from './detection.ts';
import { kernelBench } from './kernel.ts';
import { llmBench } from './llm.ts';
import { nodesBench } from './nodes.ts';
import { providersBench } from './providers.ts';
import { runnerBench } from './runner.ts';
import { schedulesBench } from './schedules.ts';
import { startupBench } from './startup.ts';
import { workersBench } from './workers.ts';

const benches: Record<string, () => Promise<string>> = {
  kernel: kernelBench,
  llm: llmBench,
  providers: providersBench,
  checkers: checkersBench,
  runner: runnerBench,
  schedules: schedulesBench,
  detection: detectionBench,
  workers: workersBench,
  nodes: nodesBench,
  startup: startupBench,
};

const only = process.argv.slice(2);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Node ${process.version}, ${cpu}, ${os.cpus().length} cores, one process.\n`);
for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`${await bench()}\n`);
}
