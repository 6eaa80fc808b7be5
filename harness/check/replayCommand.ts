// The command that replays a failing check when its caller did not say how (chaosTest and the CLI
// do): the environment that pins the case (FAULTLINE_SEED, FAULTLINE_PATH, and the determinism
// setting when it was on) in front of the command that is running now. Inside vitest that is
// `npx vitest run <file> -t <test>`, read from vitest's worker state; elsewhere it is this
// process's own command line (`node check.mjs`, `npx tsx check.ts`).
import path from 'node:path';
import { shellQuote } from './shellQuote.ts';

export interface ReplaySettings {
  readonly determinism: boolean;
}

/** The environment part of every replay command: `FAULTLINE_SEED=1 FAULTLINE_PATH=6:0 `. */
export function replayEnv(seed: number, at: string, { determinism }: ReplaySettings): string {
  return `${determinism ? 'FAULTLINE_CHECK_DETERMINISM=1 ' : ''}FAULTLINE_SEED=${seed} FAULTLINE_PATH=${shellQuote(at)} `;
}

/** vitest's -t takes a pattern; the test's full name, escaped, matches exactly that test. */
export function vitestNamePattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** `npx vitest run <file> -t '^<name>$'`, with the file relative to the working directory. */
export function vitestCommand(file: string, fullName: string): string {
  return `npx vitest run ${shellQuote(path.relative(process.cwd(), file) || file)} -t ${shellQuote(vitestNamePattern(fullName))}`;
}

interface VitestTask {
  readonly name: string;
  readonly suite?: VitestTask & { readonly filepath?: string };
  readonly file?: { readonly filepath: string };
}

/** The name vitest's -t matches: the test's and its describe blocks' names, joined by spaces. */
export function vitestTestName(task: VitestTask): string {
  const names: string[] = [task.name];
  for (let s = task.suite; s !== undefined; s = s.suite) if (s.filepath === undefined && s.name !== '') names.unshift(s.name);
  return names.join(' ');
}

/** The test vitest is running in this worker, if any (vitest keeps its worker state on globalThis). */
function currentVitestTest(): { file: string; name: string } | undefined {
  const state = (globalThis as { __vitest_worker__?: { filepath?: string; current?: VitestTask } }).__vitest_worker__;
  const task = state?.current;
  const file = task?.file?.filepath ?? state?.filepath;
  if (task === undefined || file === undefined) return undefined;
  return { file, name: vitestTestName(task) };
}

/** This process's command line as a user would type it again. */
function processCommand(): string {
  const [node, script, ...args] = process.argv;
  if (script === undefined) return shellQuote(path.basename(node ?? 'node'));
  const runner = process.execArgv.some((a) => a.includes('tsx')) ? 'npx tsx' : 'node';
  return [runner, shellQuote(path.relative(process.cwd(), script) || script), ...args.map(shellQuote)].join(' ');
}

/** The replay command for a check whose caller gave none. */
export function defaultReplayCommand(seed: number, at: string, settings: ReplaySettings): string {
  const test = currentVitestTest();
  return replayEnv(seed, at, settings) + (test === undefined ? processCommand() : vitestCommand(test.file, test.name));
}
