// The timeline section of the HTML report: a lane per actor with its lifetime, its calls as bars
// coloured by kind, fault and other marks where they hit, and the spans a failed property names
// outlined in red. Positions are percentages of the run's virtual time, so the page needs no
// script to lay itself out; details are in each bar's tooltip and in the span table it links to.
import type { Span } from '../harness/sim/trace.ts';
import { html, joinHtml, num, type SafeHtml } from './html.ts';
import type { Report } from './reportSchema.ts';
import { formatMs, type Lane, markLabel, type PlacedMark, type PlacedSpan, spanFailed, type Timeline, ticks } from './timelineModel.ts';

const WAIT_KINDS = new Set(['sleep', 'lock', 'semaphore', 'receive', 'join', 'channel', 'wait']);

/** The colour family of a span kind, as a CSS class. */
export function kindClass(kind: string): string {
  if (kind === 'llm' || kind === 'llm.call') return 'k-llm';
  if (kind === 'tool' || kind === 'mcp' || kind === 'store' || kind === 'fetch') return `k-${kind}`;
  if (WAIT_KINDS.has(kind) || kind.startsWith('channel')) return 'k-wait';
  return 'k-other';
}

/** The tooltip of a bar: what, who, when, how it ended, and its data (truncated). */
export function spanTitle(span: Span): string {
  const end = span.end === undefined ? 'never ended' : `${formatMs(span.start)}–${formatMs(span.end)} (${formatMs(span.end - span.start)})`;
  const data = Object.keys(span.data).length === 0 ? '' : `\n${JSON.stringify(span.data)}`;
  const text = `#${span.span} ${span.kind} ${span.target}\nactor ${span.actor} · ${end} · ${span.outcome}${data}`;
  return text.length > 800 ? `${text.slice(0, 800)}…` : text;
}

/** A scale from virtual time to a percentage of the track. */
type Scale = (t: number) => string;
const scaleOf =
  (timeline: Timeline): Scale =>
  (t) =>
    num((t / timeline.axisMs) * 100, 3);

function barHtml(placed: PlacedSpan, x: Scale, totalMs: number): SafeHtml {
  const { span } = placed;
  const end = span.end ?? totalMs;
  const classes = [
    'span',
    kindClass(span.kind),
    spanFailed(span) ? 'o-failed' : '',
    span.outcome === 'unfinished' ? 'o-unfinished' : '',
    placed.violating ? 'violating' : '',
    placed.narrow ? 'narrow' : '',
    placed.flip ? 'flip' : '',
    placed.faults.length > 0 ? 'hit' : '',
  ].filter((c) => c !== '');
  const style = `left:${x(span.start)}%;width:${x(end - span.start)}%;top:${placed.row * 24}px`;
  return html`<a class="${classes.join(' ')}" href="#span-${span.span}" data-span="${span.span}" data-kind="${span.kind}" data-faults="${placed.faults.join(' ')}" style="${style}" title="${spanTitle(span)}${placed.faults.length === 0 ? '' : `\nhit by fault ${placed.faults.join(', ')}`}"><span class="lbl">${placed.label}</span></a>`;
}

function markHtml(placed: PlacedMark, x: Scale): SafeHtml {
  const { mark } = placed;
  const kind = typeof mark.data?.kind === 'string' ? mark.data.kind : '';
  const rule = typeof mark.data?.rule === 'string' ? mark.data.rule : '';
  const fault = mark.name === 'fault';
  const title = `${mark.name}${rule === '' ? '' : ` ${rule}`}${kind === '' ? '' : ` (${kind})`} at ${formatMs(mark.t)}${mark.span === undefined ? '' : ` in span #${mark.span}`}\n${JSON.stringify(mark.data ?? {})}`;
  const style = `left:${x(mark.t)}%;top:${placed.row * 18}px`;
  if (!placed.labelled) return html`<span class="tick" data-mark="${mark.name}" style="${style}" title="${title}"></span>`;
  const detail = kind === '' || rule.startsWith(kind) ? '' : ` · ${kind}`;
  return html`<span class="mark${fault ? ' fault' : ''}${placed.flip ? ' flip' : ''}" data-mark="${mark.name}" data-rule="${rule}" data-kind="${kind}" style="${style}" title="${title}">${fault ? '⚡ ' : ''}${markLabel(mark)}${detail}</span>`;
}

function lifeHtml(life: Span | undefined, x: Scale, totalMs: number): SafeHtml {
  if (life === undefined) return html``;
  const state = life.outcome === 'unfinished' ? ' o-unfinished' : ['error', 'fault'].includes(life.outcome) ? ' o-failed' : '';
  return html`<a class="life${state}" href="#span-${life.span}" style="left:${x(life.start)}%;width:${x((life.end ?? totalMs) - life.start)}%" title="${spanTitle(life)}"></a>`;
}

function laneHtml(lane: Lane, timeline: Timeline, report: Report): SafeHtml {
  const x = scaleOf(timeline);
  const summary = report.actors.find((a) => a.name === lane.actor);
  const blocked = report.blocked.find((b) => b.actor === lane.actor);
  const state = blocked === undefined ? (summary?.state ?? '') : 'blocked';
  const markHeight = lane.markRows * 18;
  const height = 14 + markHeight + Math.max(lane.rows, 1) * 24;
  return html`<div class="lane${blocked === undefined ? '' : ' blocked'}" data-actor="${lane.actor}">
  <div class="lane-label" title="${blocked?.explanation ?? ''}"><span class="actor-name">${lane.actor}</span><span class="state s-${state}">${state}</span></div>
  <div class="track" style="height:${height}px">${lifeHtml(lane.life, x, timeline.totalMs)}<div class="marks" style="top:10px;height:${markHeight}px">${joinHtml(lane.marks.map((m) => markHtml(m, x)))}</div><div class="rows" style="top:${12 + markHeight}px">${joinHtml(lane.spans.map((s) => barHtml(s, x, timeline.totalMs)))}</div></div>
</div>`;
}

function axisHtml(timeline: Timeline): SafeHtml {
  const x = scaleOf(timeline);
  const marks = ticks(timeline.totalMs).map((t) => html`<span class="axis-tick" style="left:${x(t)}%">${formatMs(t)}</span>`);
  return html`<div class="lane axis"><div class="lane-label">virtual time</div><div class="track axis-track">${joinHtml(marks)}</div></div>`;
}

const LEGEND: ReadonlyArray<readonly [string, string]> = [
  ['k-llm', 'LLM call'],
  ['k-tool', 'tool'],
  ['k-mcp', 'MCP'],
  ['k-store', 'store op'],
  ['k-fetch', 'fetch'],
  ['k-wait', 'wait (sleep, lock, receive, join)'],
  ['k-other', 'other'],
];

export function timelineHtml(timeline: Timeline, report: Report): SafeHtml {
  const legend = LEGEND.map(([cls, label]) => html`<span class="legend-item"><span class="swatch ${cls}"></span>${label}</span>`);
  return html`<section id="timeline" aria-label="Timeline">
<h2>Timeline</h2>
<div class="legend">${joinHtml(legend)}<span class="legend-item"><span class="swatch o-failed"></span>ended in error or fault</span><span class="legend-item"><span class="swatch violating"></span>named by a failed property</span><span class="legend-item"><span class="fault-key">⚡</span>fault injected (red top edge: the call it hit)</span></div>
<div class="timeline">${axisHtml(timeline)}${joinHtml(timeline.lanes.map((lane) => laneHtml(lane, timeline, report)))}</div>
</section>`;
}
