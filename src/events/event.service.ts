import { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import type { EventMap, EventName, PendingEvent } from './event-map';

type Listener<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

/**
 * Typed in-process event bus. A listener that throws or rejects is logged and never breaks the
 * emitter or the other listeners: the change that caused the event is already committed.
 */
export class EventService {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor(private readonly logger: Logger) {
    this.emitter.setMaxListeners(100);
  }

  on<K extends EventName>(name: K, listener: Listener<K>): void {
    this.emitter.on(name, (payload: EventMap[K]) => {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((err: unknown) => this.report(name, err));
      } catch (err) {
        this.report(name, err);
      }
    });
  }

  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    this.emitter.emit(name, payload);
  }

  emitAll(events: PendingEvent[]): void {
    for (const event of events) this.emitter.emit(event.name, event.payload);
  }

  removeAllListeners(): void {
    this.emitter.removeAllListeners();
  }

  private report(name: string, err: unknown): void {
    this.logger.error({ err, event: name }, 'event listener failed');
  }
}
