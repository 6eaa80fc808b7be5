// The shell every HTML page of a report shares: one self-contained document with its styles
// inline, no scripts, no fonts, no network. Its Content-Security-Policy forbids scripts and every
// remote load, so even if some untrusted text escaped escaping, a browser would not run it.
import { html, type SafeHtml } from './html.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'";

export function page(title: string, body: SafeHtml): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="faultline">
<title>${title}</title>
<style>
:root { --fg:#1f2933; --muted:#616e7c; --line:#d9e2ec; --bg:#ffffff; --panel:#f5f7fa; --red:#d64545; --green:#2f8132;
  --llm:#7c5cd6; --tool:#e07b24; --mcp:#14919b; --store:#3f9142; --fetch:#2680c2; --wait:#9aa5b1; --other:#52606d; }
* { box-sizing: border-box; }
body { margin: 0; overflow-wrap: anywhere; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1500px; margin: 0 auto; padding: 20px 28px 60px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 420px; }
.muted { color: var(--muted); }
.badges { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: var(--panel); border: 1px solid var(--line); white-space: nowrap; }
.badge.pass { background: #e3f9e5; color: #14591a; border-color: #91d196; } .badge.fail { background: #ffe3e3; color: #8a041a; border-color: #f29b9b; }
.badge.info { font-weight: 500; }
.message { border-left: 4px solid var(--line); padding: 6px 12px; background: var(--panel); white-space: pre-wrap; overflow-wrap: anywhere; }
.message.fail { border-left-color: var(--red); }
.replay { user-select: all; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { font-size: 12px; color: var(--muted); font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.compact { width: auto; margin-top: 8px; } td.wrap { white-space: pre-wrap; }
tr.violating td { background: #fff0f0; } tr.violating td:first-child { box-shadow: inset 3px 0 0 var(--red); }
tr.idle-rule td { background: #fffbe6; }
:target { outline: 2px solid #f0b429; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin-bottom: 8px; font-size: 12px; color: var(--muted); }
.legend-item { display: inline-flex; align-items: center; gap: 5px; } .swatch { width: 18px; height: 10px; border-radius: 2px; display: inline-block; }
.swatch.violating { background: #fff; outline: 2px solid var(--red); } .swatch.o-failed { background: repeating-linear-gradient(135deg, var(--red) 0 3px, #fbb 3px 6px); }
.fault-key { color: var(--red); font-weight: 700; }
.timeline { border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
.lane { display: grid; grid-template-columns: 170px 1fr; border-bottom: 1px solid var(--line); }
.lane:nth-child(even) { background: #fafbfc; } .lane:last-child { border-bottom: 0; }
.lane.blocked .lane-label { box-shadow: inset 4px 0 0 var(--red); }
.lane-label { padding: 6px 10px; border-right: 1px solid var(--line); display: flex; flex-direction: column; gap: 2px; overflow: hidden; }
.actor-name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.state { font-size: 11px; color: var(--muted); } .state.s-threw, .state.s-crashed, .blocked .state { color: var(--red); font-weight: 600; }
.track { position: relative; margin: 0 14px 0 8px; }
.axis { background: var(--panel) !important; } .axis .lane-label { font-size: 12px; color: var(--muted); }
.axis-track { height: 26px; } .axis-tick { position: absolute; top: 5px; transform: translateX(-50%); font-size: 11px; color: var(--muted); white-space: nowrap; }
.axis-tick::before { content: ""; position: absolute; left: 50%; top: 15px; height: 6px; border-left: 1px solid var(--muted); }
.life { position: absolute; top: 3px; height: 4px; border-radius: 2px; background: #bcccdc; min-width: 2px; }
.life.o-failed { background: var(--red); } .life.o-unfinished { background: repeating-linear-gradient(90deg, #bcccdc 0 6px, transparent 6px 10px); }
.marks, .rows { position: absolute; left: 0; right: 0; }
.span { position: absolute; height: 20px; min-width: 5px; border-radius: 3px; padding: 2px 5px; font-size: 11.5px; line-height: 16px; color: #fff; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; text-decoration: none; border: 1px solid rgba(0,0,0,.15); }
.span:hover { z-index: 6; box-shadow: 0 1px 4px rgba(0,0,0,.35); }
.span.narrow { overflow: visible; padding: 0; }
.span.narrow .lbl { position: absolute; left: calc(100% + 4px); top: 1px; color: var(--fg); font-weight: 500; }
.span.narrow.flip .lbl { left: auto; right: calc(100% + 4px); }
.k-llm { background: var(--llm); } .span[data-kind="llm.call"] { background: #ece6fb; color: #4b2fa1; border-color: #b9a7ef; }
.k-tool { background: var(--tool); } .k-mcp { background: var(--mcp); } .k-store { background: var(--store); } .k-fetch { background: var(--fetch); }
.k-wait { background: repeating-linear-gradient(135deg, #cbd2d9 0 4px, #e4e7eb 4px 8px); color: #323f4b; } .k-other { background: var(--other); }
.span.o-failed { box-shadow: inset -4px 0 0 var(--red); } .span.narrow.o-failed { background: var(--red); }
.span.o-unfinished { border-right: 2px dashed var(--red); border-radius: 3px 0 0 3px; }
.span.hit { border-top: 3px solid var(--red); padding-top: 0; } .span.hit.narrow .lbl { top: -2px; }
.span.violating { outline: 3px solid var(--red); outline-offset: 1px; z-index: 4; font-weight: 700; }
.span.violating .lbl { color: #8a041a; } .span.violating:not(.narrow) .lbl { color: inherit; }
.mark { position: absolute; height: 16px; font-size: 11px; line-height: 14px; padding: 0 5px 0 6px; white-space: nowrap; background: #fff3c4; color: #513c06;
  border: 1px solid #f0b429; border-left: 3px solid #f0b429; border-radius: 0 3px 3px 0; }
.mark.flip { transform: translateX(-100%); border-left-width: 1px; border-right: 3px solid #f0b429; border-radius: 3px 0 0 3px; padding: 0 6px 0 5px; }
.mark.fault { background: #ffe3e3; color: #8a041a; border-color: var(--red); font-weight: 600; }
.tick { position: absolute; top: 0; width: 0; height: 12px; border-left: 1px dotted var(--muted); }
.spend-chart { width: 100%; max-width: 900px; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
.spend-chart .grid { stroke: #e4e7eb; } .spend-chart .tick-label { font-size: 11px; fill: var(--muted); }
.spend-line { fill: none; stroke: var(--llm); stroke-width: 2; } .spend-dot { fill: var(--llm); }
details summary { cursor: pointer; font-weight: 600; margin: 8px 0; }
.verdicts td:first-child { white-space: nowrap; }
a { color: #1f5fa8; }
</style>
</head>
<body><main>
${body}
</main></body>
</html>`}\n`;
}

/** A pass or fail badge. */
export function passBadge(passed: boolean, passText = 'PASSED', failText = 'FAILED'): SafeHtml {
  return html`<span class="badge ${passed ? 'pass' : 'fail'}">${passed ? passText : failText}</span>`;
}

/**
 * A badge for how a run ended: red when it did not end normally (deadlock, timeout, …); neutral when
 * it did, because a run that ended ok can still have failed a property, and a green pill beside a
 * red FAILED reads as a contradiction.
 */
export function outcomeBadge(outcome: string): SafeHtml {
  return outcome === 'ok'
    ? html`<span class="badge info" data-outcome="ok">ended ok</span>`
    : html`<span class="badge fail" data-outcome="${outcome}">${outcome}</span>`;
}
