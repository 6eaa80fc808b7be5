// Spend over virtual time: cumulative dollars as a step line, one dot per billed LLM call, drawn as
// inline SVG on the same time axis as the timeline, so a retry storm shows as a staircase.
import { html, joinHtml, num, type SafeHtml } from './html.ts';
import type { Report } from './reportSchema.ts';
import { formatMs, ticks } from './timelineModel.ts';

const WIDTH = 900;
const HEIGHT = 220;
const PAD = { left: 72, right: 16, top: 12, bottom: 30 };

/** Dollars with enough digits to tell simulated calls apart (they often cost fractions of a cent). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  const digits = Math.min(10, Math.max(2, 1 - Math.floor(Math.log10(usd)) + 2));
  return `$${usd.toFixed(digits).replace(/\.?0+$/, '')}`;
}

export interface SpendPoint {
  readonly t: number;
  readonly usd: number;
  readonly cumulative: number;
  readonly title: string;
}

/** Cumulative spend after each billed call, rounded as the ledger rounds its totals. */
export function spendPoints(report: Report): SpendPoint[] {
  let cumulative = 0;
  return report.spend.entries.map((e) => {
    cumulative = Math.round((cumulative + e.usd) * 1e8) / 1e8;
    return {
      t: e.t,
      usd: e.usd,
      cumulative,
      title: `${formatMs(e.t)} · ${e.actor} · ${e.model} · ${e.inputTokens} in / ${e.outputTokens} out · ${formatUsd(e.usd)} (total ${formatUsd(cumulative)}) · span #${e.span}`,
    };
  });
}

export function spendChartHtml(report: Report, totalMs: number): SafeHtml {
  const points = spendPoints(report);
  if (points.length === 0) {
    return html`<section id="spend"><h2>Spend</h2><p class="muted">No LLM call was billed in this run.</p></section>`;
  }
  const maxUsd = Math.max(...points.map((p) => p.cumulative)) * 1.1 || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => num(PAD.left + (t / totalMs) * plotW, 2);
  const y = (usd: number) => num(PAD.top + plotH - (usd / maxUsd) * plotH, 2);
  let path = `M${x(0)} ${y(0)}`;
  for (const p of points) path += ` H${x(p.t)} V${y(p.cumulative)}`;
  path += ` H${x(totalMs)}`;
  const xTicks = ticks(totalMs, 8).map(
    (t) =>
      html`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${PAD.top}" y2="${PAD.top + plotH}"></line><text class="tick-label" x="${x(t)}" y="${HEIGHT - 10}" text-anchor="middle">${formatMs(t)}</text>`,
  );
  const yTicks = ticks(maxUsd, 5).map(
    (u) =>
      html`<line class="grid" x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(u)}" y2="${y(u)}"></line><text class="tick-label" x="${PAD.left - 6}" y="${y(u)}" text-anchor="end" dominant-baseline="middle">${formatUsd(u)}</text>`,
  );
  const dots = points.map((p) => html`<circle class="spend-dot" cx="${x(p.t)}" cy="${y(p.cumulative)}" r="3.5"><title>${p.title}</title></circle>`);
  const total = points.at(-1)?.cumulative ?? 0;
  return html`<section id="spend"><h2>Spend over virtual time</h2>
<p>${formatUsd(total)} over ${points.length} billed LLM call${points.length === 1 ? '' : 's'} (${report.spend.inputTokens} input and ${report.spend.outputTokens} output tokens).</p>
<svg class="spend-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Cumulative LLM spend in US dollars over virtual time">
${joinHtml(yTicks)}${joinHtml(xTicks)}
<path class="spend-line" d="${path}"></path>${joinHtml(dots)}
</svg>
${spendTableHtml(report)}
</section>`;
}

function spendTableHtml(report: Report): SafeHtml {
  const rows = (title: string, byKey: Report['spend']['byActor']) =>
    Object.entries(byKey).map(
      ([key, t]) =>
        html`<tr><td>${title}</td><td>${key}</td><td class="num">${t.calls}</td><td class="num">${t.inputTokens}</td><td class="num">${t.outputTokens}</td><td class="num">${formatUsd(t.usd)}</td></tr>`,
    );
  return html`<table class="compact"><thead><tr><th></th><th></th><th>calls</th><th>input tokens</th><th>output tokens</th><th>USD</th></tr></thead><tbody>${joinHtml(
    [...rows('actor', report.spend.byActor), ...rows('model', report.spend.byModel)],
  )}</tbody></table>`;
}
