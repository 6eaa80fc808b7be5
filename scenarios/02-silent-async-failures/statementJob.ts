// The asynchronous part both agents share: the caller queues a statement job, a worker actor runs
// it and records its outcome in the `jobs` store, and the caller polls that record. The caller sees
// only what the job reports, which is why a job that "succeeds" on bad data is a silent failure.
import type { World } from '../../harness/index.ts';
import type { StatementRequest } from './billing.ts';

export type StatementResult =
  | { readonly status: 'succeeded'; readonly account: string; readonly month: string; readonly count: number; readonly total: number; readonly summary: string }
  | { readonly status: 'failed' | 'needs-review'; readonly account: string; readonly month: string; readonly reason: string; readonly flagged?: boolean };

type JobRecord = StatementResult | { readonly status: 'queued' };

/** The job body: does the work and records a final StatementResult under `jobId`. */
export type StatementJob = (world: World, jobId: string, request: StatementRequest) => Promise<void>;

const POLL_MS = 500;
const POLLS = 120;

export async function runStatement(world: World, request: StatementRequest, job: StatementJob): Promise<StatementResult> {
  const jobs = world.stores.kv('jobs');
  const jobId = `statement:${request.account}:${request.month}`;
  await jobs.set(jobId, { status: 'queued' });
  const worker = world.spawn('statement-job', (w) => job(w, jobId, request)).catch(() => undefined);
  for (let i = 0; i < POLLS; i++) {
    await world.sleep(POLL_MS);
    const record = await jobs.get<JobRecord>(jobId);
    if (record !== undefined && record.status !== 'queued') {
      await worker;
      return record;
    }
  }
  return { status: 'failed', ...request, reason: `the job did not finish within ${(POLL_MS * POLLS) / 1000} s` };
}
