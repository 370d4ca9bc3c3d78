import type { SealedBox } from '../crypto/sealed-box.js';
import { notFound, invalidRequest } from '../protocol/errors.js';
import { ResponseCreateParams, type ResponseObject, type ResponseStreamEvent } from '../protocol/index.js';
import type { Owner, Store } from '../store/types.js';
import { BackgroundRuns } from './background.js';
import { executeResponse, responseRecord, type ResponseRun } from './execute.js';
import type { ModelRegistry } from './model-registry.js';
import type { HostedToolKind } from './tools/types.js';
import { openRequestSecrets } from './tools/mcp/secrets.js';
import { prepareResponse, type PreparedResponse } from './prepare.js';
import { sharedChains } from './context/chain-cache.js';
import { ReasoningEnvironment } from './reasoning/environment.js';
import { steerResponse, type SteerResult } from './reasoning/steer.js';
import type { ConfigFile } from '../config/schema.js';

export { ModelRegistry, type ResolvedModel } from './model-registry.js';
export type { PreparedResponse } from './prepare.js';
export { endsResponse, type ResponseRun, type RunFailure } from './execute.js';

export interface EngineOptions {
  store: Store;
  models: ModelRegistry;
  box: SealedBox;
  /** Hosted tool kinds (search, MCP, computer…), see `createHostedToolKinds`. */
  hostedTools?: readonly HostedToolKind[];
  /** Pro samples and verifiers (`reasoning`), and the models' verifiers (`models`), from the config file. */
  reasoning?: Pick<ConfigFile, 'reasoning' | 'models'>;
  /** How conversations are fitted into model windows (the config file's `context`). */
  context?: ConfigFile['context'];
  log?: (message: string) => void;
}

/** Removes what `include` did not ask for from an item shown to a client. */
export function presentItem<T extends { type: string }>(item: T, include: readonly string[] | null | undefined): T {
  if (item.type === 'reasoning' && 'encrypted_content' in item && !include?.includes('reasoning.encrypted_content')) {
    const { encrypted_content: _omit, ...rest } = item as T & { encrypted_content?: unknown };
    return rest as unknown as T;
  }
  return item;
}

/**
 * Runs responses: validation, the model loop, persistence, background work and its recovery.
 * Knows nothing of HTTP.
 */
export class Engine {
  readonly store: Store;
  readonly models: ModelRegistry;
  readonly box: SealedBox;
  readonly hostedTools: readonly HostedToolKind[];
  /** Pro settings and the responses that accept steering input. */
  readonly reasoning: ReasoningEnvironment;
  /** Context settings (the config file's `context`). */
  readonly context: ConfigFile['context'];
  readonly background = new BackgroundRuns();
  readonly #log: (message: string) => void;
  /** Background runs of this process, by response id, until they settle. */
  readonly #tasks = new Map<string, Promise<void>>();

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.models = options.models;
    this.box = options.box;
    this.hostedTools = options.hostedTools ?? [];
    this.reasoning = new ReasoningEnvironment(options.reasoning);
    this.context = options.context;
    this.#log = options.log ?? (() => {});
  }

  /** The engine's log. */
  get log(): (message: string) => void {
    return this.#log;
  }

  /** Validates a request; throws ApiError for any bad input. Nothing is stored or called yet. */
  prepare(params: ResponseCreateParams, owner: Owner): Promise<PreparedResponse> {
    return prepareResponse(params, owner, this);
  }

  /** Starts a foreground response (stored when it ends); `run.abort()` stops it (client disconnect). */
  start(prepared: PreparedResponse): ResponseRun {
    return executeResponse(prepared, this, { storedAtStart: false });
  }

  /** Stores a background response as queued and runs it detached. Returns the queued envelope. */
  async startBackground(prepared: PreparedResponse): Promise<ResponseObject> {
    await this.store.createResponse(responseRecord(prepared, this.box), prepared.inputItems);
    const queued = structuredClone(prepared.response);
    this.#runDetached(prepared);
    return queued;
  }

  #runDetached(prepared: PreparedResponse): void {
    const run = executeResponse(prepared, this, { storedAtStart: true });
    const id = prepared.response.id;
    this.background.register(id, run.abort);
    const task = (async () => {
      // The queued events come first, so a stream reader sees the whole lifecycle.
      const queuedEvents: ResponseStreamEvent[] = [
        { type: 'response.created', sequence_number: 0, response: structuredClone(prepared.response) },
        { type: 'response.queued', sequence_number: 1, response: structuredClone(prepared.response) },
      ];
      await this.store.appendEvents(id, queuedEvents);
      this.background.publish(id, queuedEvents);
      let sequence = 2;
      try {
        for await (const batch of run.events) {
          for (const event of batch) event.sequence_number = sequence++;
          await this.store.appendEvents(id, batch);
          this.background.publish(id, batch);
        }
      } catch (error) {
        this.#log(`background response ${id} crashed: ${(error as Error).stack ?? error}`);
      } finally {
        this.background.finish(id);
      }
    })();
    this.#tasks.set(id, task);
    void task.finally(() => this.#tasks.delete(id));
  }

  /** The stored record for its owner, or the 404 clients get. */
  async #record(id: string, owner: Owner) {
    const record = await this.store.getResponse(id, owner);
    if (!record) throw notFound(`Response with id '${id}' not found.`, 'response_id', 'response_not_found');
    return record;
  }

  /** A stored response for its owner, or a 404. */
  async getResponse(id: string, owner: Owner): Promise<ResponseObject> {
    return (await this.#record(id, owner)).response;
  }

  /** Deletes a response of this owner (404 otherwise), stopping it first if it runs in the background. */
  async deleteResponse(id: string, owner: Owner): Promise<void> {
    await this.#record(id, owner);
    this.background.abort(id);
    await this.store.deleteResponse(id, owner);
    // Chains through it are shorter now.
    sharedChains.forget();
  }

  /** Stream events of a background response after `startingAfter`, following it live. */
  async streamStored(id: string, owner: Owner, startingAfter: number, signal: AbortSignal): Promise<{ response: ResponseObject; events: AsyncIterable<ResponseStreamEvent> }> {
    const record = await this.#record(id, owner);
    if (!record.background) throw invalidRequest('Only background responses can be streamed again: create the response with background=true.', 'stream', 'not_streamable');
    return { response: record.response, events: this.background.follow(id, startingAfter, (after) => this.store.listEvents(id, after), signal) };
  }

  /** Cancels a background response; returns its envelope (status `cancelled` once stopped). */
  async cancel(id: string, owner: Owner): Promise<ResponseObject> {
    const record = await this.#record(id, owner);
    if (!record.background) throw invalidRequest('Only responses created with background=true can be cancelled.', 'response_id', 'not_cancellable');
    if (record.response.status === 'queued' || record.response.status === 'in_progress') {
      if (this.background.abort(id)) {
        // Wait for the run to record its cancellation, 10 s at most.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.#tasks.get(id), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
        clearTimeout(timer);
      } else {
        // Not running here (e.g. another replica crashed): record the cancellation.
        record.response.status = 'cancelled';
        await this.store.updateResponse(id, record.response, []);
      }
    }
    return this.getResponse(id, owner);
  }


  /**
   * After a restart: queued background responses run again; ones that were in progress are
   * marked failed (their partial output is kept), so nothing is silently lost.
   */
  async recover(): Promise<{ resumed: number; failed: number }> {
    let resumed = 0;
    let failed = 0;
    for (const record of await this.store.listUnfinishedBackground()) {
      if (record.response.status === 'queued') {
        try {
          const params = ResponseCreateParams.parse(openRequestSecrets(record.request as { tools?: unknown }, this.box));
          const prepared = await this.prepare(params, record.owner);
          this.#runDetached({ ...prepared, response: record.response });
          resumed++;
          continue;
        } catch (error) {
          this.#log(`could not resume background response ${record.id}: ${(error as Error).message}`);
        }
      }
      record.response.status = 'failed';
      record.response.error = { code: 'server_error', message: 'Kestrel restarted while this background response was running; it was stopped. Create it again to retry.' };
      const events = await this.store.listEvents(record.id, -1);
      const next = events.length ? events[events.length - 1].sequence_number + 1 : 0;
      await this.store.updateResponse(record.id, record.response, []);
      await this.store.appendEvents(record.id, [
        { type: 'error', sequence_number: next, code: 'server_error', message: record.response.error.message, param: null },
        { type: 'response.failed', sequence_number: next + 1, response: record.response },
      ]);
      failed++;
    }
    return { resumed, failed };
  }

  /** Adds user messages to a running response (`POST /v1/responses/{id}/input`): 404 for others' responses, 400 once it ended. */
  steer(id: string, owner: Owner, input: ResponseCreateParams['input']): Promise<SteerResult> {
    return steerResponse(this, id, owner, input);
  }

  /** Lists a response's own input items. */
  async listInputItems(id: string, owner: Owner, query: { after?: string; limit: number; order: 'asc' | 'desc' }) {
    await this.#record(id, owner);
    return this.store.listInputItems(id, owner, query);
  }

  /** Waits for background work to settle (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#tasks.values()]);
  }

  /** Stops background work: running responses end as failed (never lost silently). */
  async close(): Promise<void> {
    this.background.abortAll();
    await this.drain();
    await Promise.allSettled(this.hostedTools.map((kind) => kind.close?.()));
  }
}

