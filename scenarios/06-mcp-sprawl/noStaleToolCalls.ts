// A property read from the trace: no MCP tool is called after its server said it had changed. A
// server change is a `fault` mark (tool-removed, tool-renamed, schema-drift, description-changed,
// naming the tool); the agent has been told once the server's tools/list_changed notification
// reached it, or once a tools/list it sent after the change came back. A tools/call of that tool
// (under its old or new name) sent after that moment used a definition the agent knew to be stale:
// it should have failed closed. Calls sent between the change and the news are races no client
// can avoid, and are not counted. Events are compared by trace sequence, not by time, so a call
// made in the same virtual millisecond as the news is judged by which came first.
import { type Property, property, spansOf, type TraceEvent } from '../../harness/index.ts';

type Mark = Extract<TraceEvent, { type: 'mark' }>;

const CHANGES = new Set(['tool-removed', 'tool-renamed', 'schema-drift', 'description-changed']);

function describeChange(change: Mark): string {
  const d = change.data ?? {};
  switch (d.kind) {
    case 'tool-removed':
      return `removed ${String(d.tool)}`;
    case 'tool-renamed':
      return `renamed ${String(d.tool)} to ${String(d.to)}`;
    case 'schema-drift':
      return `renamed ${String(d.tool)}'s input field ${String(d.field)} to ${String(d.to)}`;
    default:
      return `changed the description of ${String(d.tool)}`;
  }
}

export function noStaleToolCalls(): Property {
  return property('noStaleToolCalls', 'No MCP tool was called after its server announced that the tool had been removed, renamed or redefined.', (r) => {
    const starts = new Map<number, number>();
    const ends = new Map<number, number>();
    for (const e of r.trace) {
      if (e.type === 'span.start') starts.set(e.span, e.seq);
      if (e.type === 'span.end') ends.set(e.span, e.seq);
    }
    const mcp = spansOf(r.trace).filter((s) => s.kind === 'mcp');
    const marks = r.trace.filter((e): e is Mark => e.type === 'mark');
    for (const change of marks.filter((m) => m.name === 'fault' && CHANGES.has(String(m.data?.kind)))) {
      const target = String(change.data?.target);
      const names = [change.data?.tool, change.data?.to].filter((n): n is string => typeof n === 'string');
      const notified = marks.find(
        (m) => m.name === 'mcp.notification' && m.data?.target === target && m.data.method === 'notifications/tools/list_changed' && m.seq > change.seq,
      );
      const relisted = mcp.filter((s) => s.target === target && s.data.method === 'tools/list' && s.outcome === 'ok' && (starts.get(s.span) ?? 0) > change.seq);
      const told = Math.min(notified?.seq ?? Infinity, ...relisted.map((s) => ends.get(s.span) ?? Infinity));
      if (told === Infinity) continue;
      const toldAt = r.trace[told]?.t ?? 0;
      const stale = mcp.find(
        (s) => s.target === target && s.data.method === 'tools/call' && names.includes(String(s.data.tool)) && (starts.get(s.span) ?? 0) > told,
      );
      if (stale === undefined) continue;
      return {
        message:
          `${stale.actor} called ${String(stale.data.tool)} on ${target} at t=${stale.start}ms, although ${target} had ${describeChange(change)} at t=${change.t}ms ` +
          `(fault ${String(change.data?.rule)}) and the agent knew it by t=${toldAt}ms: it called a tool with a stale definition instead of failing closed.`,
        spans: [stale.span],
      };
    }
    return undefined;
  });
}
