// The CLI as a library (`import { runScenarios } from 'faultline/cli'`): what `faultline run`,
// `list` and `replay` do, for scripts and other tools that would otherwise shell out to it.

export type { ImportScope } from '../scenario/importModule.ts';
export { projectRoot } from '../scenario/importModule.ts';
export { runCli } from './main.ts';
export type { Outcome as ExpectationOutcome, RunOptions } from './runCommand.ts';
export { runScenarios } from './runCommand.ts';
export type { ResolvedScenario, ResolveOptions, SkippedScenario } from './scenarios.ts';
export { allBuiltIns, resolveScenario, skipLine } from './scenarios.ts';
