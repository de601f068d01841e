import type { EventMap, EventName } from '../../src-shared/ipc/contract';

export type BusListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** Main → renderer events; each shell subscribes once and forwards to its windows or streams. */
export class EventBus {
  private readonly listeners = new Set<BusListener>();

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // A broken subscriber (a closed stream) must not stop the others.
      }
    }
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
