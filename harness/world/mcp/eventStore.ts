// The event store a simulated Streamable HTTP server keeps for resumability (the SDK's EventStore
// interface): every SSE event it sends is stored under an id `<streamId>_<n>`, and a client that
// reconnects with `Last-Event-ID` is sent the events of that stream after it, in the order they
// were stored. The SDK's example store orders events by sorting ids made of a timestamp and a random
// suffix, which can reorder events sent in the same millisecond; this one keeps insertion order,
// so a replay is deterministic.
import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export class OrderedEventStore implements EventStore {
  private readonly streams = new Map<StreamId, Array<{ readonly id: EventId; readonly message: JSONRPCMessage }>>();

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    let events = this.streams.get(streamId);
    if (events === undefined) {
      events = [];
      this.streams.set(streamId, events);
    }
    const id = `${streamId}_${events.length + 1}`;
    events.push({ id, message });
    return id;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const streamId = streamOf(eventId);
    return this.streams.get(streamId)?.some((e) => e.id === eventId) === true ? streamId : undefined;
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }): Promise<StreamId> {
    const streamId = streamOf(lastEventId);
    const events = this.streams.get(streamId) ?? [];
    const from = events.findIndex((e) => e.id === lastEventId);
    for (const event of events.slice(from + 1)) {
      // A priming event (an empty message) only gives the client a cursor; it is never replayed.
      if (Object.keys(event.message).length > 0) await send(event.id, event.message);
    }
    return streamId;
  }
}

/** The stream an event id belongs to. */
export function streamOf(eventId: EventId): StreamId {
  const cut = eventId.lastIndexOf('_');
  return cut < 0 ? eventId : eventId.slice(0, cut);
}
