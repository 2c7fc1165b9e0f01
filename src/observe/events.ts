/**
 * A namespace's live event stream (GET /_emulator/events): journal entries, history job changes,
 * inbox arrivals, scenario hits, clock moves, resets and synthesis progress. Listeners are called synchronously; an
 * event with no listener costs one check.
 */
export type EventType = "request" | "job" | "inbox" | "scenario" | "clock" | "reset" | "outbox" | "schedule" | "synthesis";

export interface EmulatorEvent {
  type: EventType;
  /** Emulator clock, epoch ms. */
  time: number;
  data: unknown;
}

export class EventBus {
  private readonly listeners = new Set<(e: EmulatorEvent) => void>();

  /** `now`: the emulator clock. */
  constructor(private readonly now: () => number) {}

  get active(): boolean {
    return this.listeners.size > 0;
  }

  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: (e: EmulatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `data` may be a function: it is only called when someone listens. */
  emit(type: EventType, data: unknown | (() => unknown)): void {
    if (this.listeners.size === 0) return;
    const e: EmulatorEvent = { type, time: this.now(), data: typeof data === "function" ? (data as () => unknown)() : data };
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A listener that throws (a closed stream) must not break the emitter.
      }
    }
  }
}

/**
 * Every namespace's bus, by name: a stream subscribed to a namespace keeps receiving across its
 * resets (the namespace's other state is made again; its bus is the same).
 */
export class EventHub {
  private readonly buses = new Map<string, EventBus>();

  constructor(private readonly now: () => number) {}

  of(namespace: string): EventBus {
    let bus = this.buses.get(namespace);
    if (!bus) this.buses.set(namespace, (bus = new EventBus(this.now)));
    return bus;
  }

  /** An event for every namespace someone listens to (a clock move). */
  broadcast(type: EventType, data: unknown): void {
    for (const bus of this.buses.values()) bus.emit(type, data);
  }
}
