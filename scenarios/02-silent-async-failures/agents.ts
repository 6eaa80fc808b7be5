// Two statement jobs. The naive one trusts every 200: it totals whatever invoices came back (none,
// when the answer was empty; half, when it was cut short), takes the model's sentence as it is,
// even an empty one, and marks the job succeeded. The hardened one checks the billing answer
// against its own count and total (re-fetching a bad one a bounded number of times), checks that
// the summary restates exactly the verified figures (else falls back to a template), and marks a
// job it cannot verify `needs-review` instead of `succeeded`.
import { ConstantBackoff, handleWhen, retry } from 'cockatiel';
import { ToolError, type World } from '../../harness/index.ts';
import { cents, type Invoice, type InvoicePage, monthName, type StatementRequest, usd } from './billing.ts';
import { runStatement, type StatementJob } from './statementJob.ts';
import { newClient, type StatementFigures, summaryRequest } from './summarizer.ts';

const naiveJob: StatementJob = async (world, jobId, request) => {
  const jobs = world.stores.kv('jobs');
  try {
    const page = await world.tools.call<InvoicePage>('fetch_invoices', request);
    const invoices = page.invoices ?? [];
    const total = cents(invoices.reduce((sum, inv) => sum + inv.amount, 0));
    const completion = await newClient(world.fetch).chat.completions.create(summaryRequest({ ...request, count: invoices.length, total }));
    const summary = completion.choices?.[0]?.message?.content ?? '';
    await jobs.set(jobId, { status: 'succeeded', ...request, count: invoices.length, total, summary });
  } catch (error) {
    await jobs.set(jobId, { status: 'failed', ...request, reason: (error as Error).message });
  }
};

/** What is wrong with a billing answer, as phrases; empty when it is complete and self-consistent. */
export function pageProblems(page: unknown, request: StatementRequest): string[] {
  const p = page as Partial<InvoicePage> | null;
  if (p === null || typeof p !== 'object' || !Array.isArray(p.invoices) || typeof p.count !== 'number' || typeof p.total !== 'number') {
    return ['the billing answer has no invoices, count or total'];
  }
  const problems: string[] = [];
  if (p.account !== request.account || p.month !== request.month) problems.push(`it is for ${p.account} ${p.month}, not ${request.account} ${request.month}`);
  const invoices = p.invoices as readonly Partial<Invoice>[];
  if (invoices.some((i) => typeof i.amount !== 'number' || !(i.amount > 0))) problems.push('an invoice has no valid amount');
  if (invoices.length !== p.count) problems.push(`it lists ${invoices.length} invoices but says there are ${p.count}`);
  const sum = cents(invoices.reduce((s, i) => s + (i.amount ?? 0), 0));
  if (Math.abs(sum - p.total) >= 0.005) problems.push(`its invoices add up to ${usd(sum)} but it says ${usd(p.total)}`);
  return problems;
}

/** The tool call itself is retried on failure; a damaged answer is fetched again, three tries in all. */
async function fetchVerified(world: World, request: StatementRequest): Promise<{ page: InvoicePage } | { problems: string[] }> {
  const call = retry(
    handleWhen((e) => e instanceof ToolError && e.reason === 'failed'),
    { maxAttempts: 2, backoff: new ConstantBackoff(200) },
  );
  let problems: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const page = await call.execute(() => world.tools.call<InvoicePage>('fetch_invoices', request), new AbortController().signal);
      problems = pageProblems(page, request);
      if (problems.length === 0) return { page };
    } catch (error) {
      problems = [(error as Error).message];
    }
  }
  return { problems };
}

const NUMBER = /(?<![\w.-])\$?\d[\d,]*(?:\.\d+)?(?![\w-])/g;

/** The summary states the verified total and count, and no number that is not one of the figures. */
export function summaryMatches(summary: string, f: StatementFigures): boolean {
  const allowed = new Set([usd(f.total), String(f.count), f.month.slice(0, 4)]);
  const numbers = summary.match(NUMBER) ?? [];
  return summary.includes(usd(f.total)) && summary.includes(`${f.count} invoice`) && numbers.every((n) => allowed.has(n));
}

/** The model's summary if it restates the figures exactly (two tries), else a template one. */
async function verifiedSummary(world: World, f: StatementFigures): Promise<string> {
  const client = newClient(world.fetch);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const completion = await client.chat.completions.create(summaryRequest(f));
      const text = completion.choices?.[0]?.message?.content;
      if (typeof text === 'string' && summaryMatches(text, f)) return text;
    } catch {
      // A broken or cut-off answer is as good as none: try again, then use the template.
    }
  }
  return `${f.account} was billed ${usd(f.total)} across ${f.count} invoices in ${monthName(f.month)}.`;
}

const hardenedJob: StatementJob = async (world, jobId, request) => {
  const jobs = world.stores.kv('jobs');
  const fetched = await fetchVerified(world, request);
  if ('problems' in fetched) {
    await jobs.set(jobId, { status: 'needs-review', ...request, reason: `unverified billing data: ${fetched.problems.join('; ')}`, flagged: true });
    return;
  }
  const figures = { ...request, count: fetched.page.count, total: fetched.page.total };
  await jobs.set(jobId, { status: 'succeeded', ...figures, summary: await verifiedSummary(world, figures) });
};

export const naive = (world: World, request: StatementRequest) => runStatement(world, request, naiveJob);

export const hardened = (world: World, request: StatementRequest) => runStatement(world, request, hardenedJob);
