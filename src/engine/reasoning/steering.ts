/**
 * Steering: `POST /v1/responses/{id}/input` adds user messages to a response while it runs. They
 * are stored as input items of the response at once and reach the model before its next step.
 */
import type { ModelMessage } from '../../backends/types.js';
import type { StoredItem } from '../../protocol/index.js';
import type { Owner } from '../../store/types.js';
import type { StepHook } from '../tools/types.js';

/** The steering input of one response while it runs. */
export class SteeringQueue {
  readonly responseId: string;
  readonly owner: Owner;
  /** Whether the model takes images (steering input is checked like any input). */
  readonly vision: boolean;
  /** Background responses are stored while they run: steering input is stored at once. */
  readonly background: boolean;
  readonly #registry: SteeringRegistry;
  /** The response's own input items (stored with it): steering input is appended here. */
  readonly #inputItems: StoredItem[];
  #pending: ModelMessage[] = [];
  #state: 'ready' | 'open' | 'closed' = 'ready';

  constructor(registry: SteeringRegistry, responseId: string, owner: Owner, inputItems: StoredItem[], options: { vision: boolean; background: boolean }) {
    this.#registry = registry;
    this.responseId = responseId;
    this.owner = owner;
    this.#inputItems = inputItems;
    this.vision = options.vision;
    this.background = options.background;
  }

  /** The run started: steering input is accepted from now until {@link close}. */
  open(): void {
    if (this.#state !== 'ready') return;
    this.#state = 'open';
    this.#registry.add(this);
  }

  /** The run ended (however): later input is refused. */
  close(): void {
    this.#state = 'closed';
    this.#registry.remove(this);
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** Accepts steering input: its items join the response's input items, its messages wait for the next step. */
  push(items: StoredItem[], messages: ModelMessage[]): void {
    this.#inputItems.push(...items);
    this.#pending.push(...messages);
  }

  /** True when input waits for the model. */
  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /** Takes the waiting messages. */
  take(): ModelMessage[] {
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  /** The step hook that hands waiting input to the model before each step. */
  hook(): StepHook {
    return {
      name: 'steering',
      beforeModelCall: ({ messages }) => {
        if (!this.hasPending) return undefined;
        return [...messages, ...this.take()];
      },
    };
  }
}

/**
 * The running responses of this process that accept steering input, by id. A response running on
 * another replica is not here (steering reaches the process that runs it).
 *
 * @example
 * const queue = registry.queue('resp_1', owner, prepared.inputItems, { vision: true, background: false });
 * queue.open();
 * registry.get('resp_1', owner)?.push(items, messages);
 */
export class SteeringRegistry {
  readonly #open = new Map<string, SteeringQueue>();

  /** A queue for a response about to run (registered when it opens). */
  queue(responseId: string, owner: Owner, inputItems: StoredItem[], options: { vision: boolean; background: boolean }): SteeringQueue {
    return new SteeringQueue(this, responseId, owner, inputItems, options);
  }

  /** The open queue of a running response of this owner, or undefined. */
  get(responseId: string, owner: Owner): SteeringQueue | undefined {
    const queue = this.#open.get(responseId);
    return queue && queue.owner === owner ? queue : undefined;
  }

  add(queue: SteeringQueue): void {
    this.#open.set(queue.responseId, queue);
  }

  remove(queue: SteeringQueue): void {
    if (this.#open.get(queue.responseId) === queue) this.#open.delete(queue.responseId);
  }
}
