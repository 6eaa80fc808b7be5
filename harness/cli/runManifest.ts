// The manifest `faultline run` writes beside its reports (faultline-run.json): which shard of how
// many ran, from which seed, how many runs each scenario × agent was asked for, and what came of
// each, with the report file that shows it and the signature of its failure. `faultline report
// --merge` reads it to prove that every shard ran the same check before it calls a merge green.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../reports/writeAtomic.ts';
import { FaultlineError } from '../sim/errors.ts';

export const MANIFEST_FILE = 'faultline-run.json';
export const MANIFEST_SCHEMA = 'faultline.run/v1';

const shard = z.object({ index: z.number().int().min(1), count: z.number().int().min(1) });

const outcome = z.object({
  scenario: z.string().describe("The scenario's name."),
  ref: z.string().describe('How the scenario was named on the command line (file or built-in id).'),
  agent: z.string(),
  expected: z.enum(['pass', 'fail']),
  runs: z.number().int().min(1).describe('Runs the whole check was asked for, across all shards.'),
  executed: z.number().int().min(0).describe('Runs this shard made before its first failure (or all of its runs).'),
  seed: z.number().int().describe("The check's seed before the shard's offset: equal on every shard of one check."),
  result: z
    .enum(['passed', 'failed', 'untested'])
    .describe('untested: the check failed without a counterexample (a rule matched nothing, a property judged nothing).'),
  held: z.boolean().describe('Whether the expectation held on this shard.'),
  signature: z.string().optional().describe('The shrunk failure signature, when the check failed with a counterexample.'),
  replay: z.string().optional(),
  report: z.string().describe('The JSON report of this outcome, relative to the manifest.'),
});

export const runManifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  shard: shard.optional().describe('Which slice of the runs this output holds; absent for a whole run.'),
  mergedFrom: z.number().int().min(1).optional().describe('Set on the output of `faultline report --merge`: how many shards it joined.'),
  seed: z.number().int().optional().describe('The --seed (or FAULTLINE_SEED) given; absent when each seed came from its scenario name.'),
  runs: z.number().int().min(1).optional().describe('The --runs given, if any.'),
  scenarios: z.array(z.string()),
  agents: z.array(z.string()),
  outcomes: z.array(outcome),
});

export type RunManifest = z.output<typeof runManifestSchema>;
export type ManifestOutcome = z.output<typeof outcome>;

export async function writeManifest(dir: string, manifest: RunManifest): Promise<string> {
  const file = path.join(dir, MANIFEST_FILE);
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/**
 * The manifest in `dir`.
 * @throws FaultlineError INVALID_OPTIONS when the directory holds no manifest or an invalid one.
 */
export async function readManifest(dir: string): Promise<RunManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `there is no ${MANIFEST_FILE} in it` : (error as Error).message;
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `${dir} holds no shard output: ${why}`,
      todo: 'Pass the --out directories of `faultline run --shard i/n` (each holds a faultline-run.json), one per shard',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `${file} is not JSON (${(error as Error).message})`,
      todo: 'Run that shard again: its output was damaged or written by something else',
    });
  }
  const parsed = runManifestSchema.safeParse(value);
  if (!parsed.success) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `${file} is not a ${MANIFEST_SCHEMA} manifest`,
      todo: 'Run that shard again with this version of faultline',
      details: parsed.error.issues.map((i) => `${i.path.join('.') || '(the document)'}: ${i.message}`),
    });
  }
  return parsed.data;
}
