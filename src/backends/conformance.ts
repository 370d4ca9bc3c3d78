import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents, modelRequest } from '../test-support/model-request.js';
import { BackendError, type Backend, type ModelEvent, type ModelRequest } from './types.js';

/**
 * What the model does in one conformance scenario, in neutral terms. Each backend's harness
 * plays it in its own wire format (a fake upstream server, or a script).
 */
export type ConformanceScenario =
  | { kind: 'text'; chunks: string[]; usage: { inputTokens: number; outputTokens: number } }
  | { kind: 'tool-call'; text?: string; callId: string; name: string; argumentChunks: string[] }
  | { kind: 'length'; chunks: string[] }
  | { kind: 'rate-limited'; retryAfter: string; message: string }
  | { kind: 'server-error'; message: string }
  /** Streams the chunks, then keeps the response open until the client goes away. */
  | { kind: 'hang'; chunks: string[] };

/** Plays scenarios for one backend. */
export interface BackendHarness {
  /** A backend whose next `stream` call plays `scenario`. */
  play(scenario: ConformanceScenario): Backend | Promise<Backend>;
  /** Resolves when the connection of the last played call is closed (for abort checks); absent when there is none. */
  lastConnectionClosed?(): Promise<void>;
  close?(): Promise<void>;
}

const joinText = (events: ModelEvent[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');

/** Exactly one terminal event (`finish` or `error`), and it is the last one. */
function expectOneTerminalEventLast(events: ModelEvent[]): ModelEvent {
  const terminal = events.filter((event) => event.type === 'finish' || event.type === 'error');
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  return terminal[0];
}

/** Collects a stream, failing the test when the backend throws instead of yielding an `error` event. */
async function collect(backend: Backend, request: ModelRequest = modelRequest()): Promise<ModelEvent[]> {
  try {
    return await collectEvents(backend, request);
  } catch (error) {
    throw new Error(`The backend threw instead of yielding an error event: ${(error as Error).message}`);
  }
}

/**
 * The contract every backend keeps, whatever its wire format (DESIGN: every backend passes one
 * shared suite). Call it from the backend's own test file with a harness that plays scenarios.
 *
 * @example backendConformance('anthropic', anthropicHarness());
 */
export function backendConformance(name: string, makeHarness: () => BackendHarness | Promise<BackendHarness>): void {
  describe(`${name} backend conformance`, () => {
    let harness: BackendHarness;
    beforeAll(async () => {
      harness = await makeHarness();
    });
    afterAll(() => harness.close?.());

    it('streams text deltas that join to the whole answer, then one finish with usage', async () => {
      const chunks = ['Hel', 'lo, ', 'wörld 👋', '!'];
      const events = await collect(await harness.play({ kind: 'text', chunks, usage: { inputTokens: 11, outputTokens: 7 } }));
      expect(joinText(events)).toBe(chunks.join(''));
      const finish = expectOneTerminalEventLast(events);
      expect(finish).toMatchObject({ type: 'finish', reason: 'stop', usage: { inputTokens: 11, outputTokens: 7 } });
    });

    it('streams one tool call: start with call id and name, argument deltas that join to the JSON, finish tool_calls', async () => {
      const argumentChunks = ['{"city":', '"Paris",', '"unit":"celsius"}'];
      const events = await collect(await harness.play({ kind: 'tool-call', callId: 'call_conf_1', name: 'get_weather', argumentChunks }), modelRequest({ tools: [{ kind: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } } }] }));
      const starts = events.filter((event) => event.type === 'tool-call-start');
      expect(starts).toEqual([{ type: 'tool-call-start', index: expect.any(Number), callId: 'call_conf_1', name: 'get_weather', kind: 'function' }]);
      const index = (starts[0] as Extract<ModelEvent, { type: 'tool-call-start' }>).index;
      const startAt = events.indexOf(starts[0]);
      const deltas = events.filter((event): event is Extract<ModelEvent, { type: 'tool-call-delta' }> => event.type === 'tool-call-delta');
      for (const delta of deltas) expect(events.indexOf(delta)).toBeGreaterThan(startAt);
      expect(JSON.parse(deltas.filter((delta) => delta.index === index).map((delta) => delta.argumentsDelta).join(''))).toEqual({ city: 'Paris', unit: 'celsius' });
      expect(expectOneTerminalEventLast(events)).toMatchObject({ type: 'finish', reason: 'tool_calls' });
    });

    it('finishes with length when the output limit cut the answer', async () => {
      const events = await collect(await harness.play({ kind: 'length', chunks: ['Once upon', ' a time'] }), modelRequest({ maxOutputTokens: 4 }));
      expect(joinText(events)).toBe('Once upon a time');
      expect(expectOneTerminalEventLast(events)).toMatchObject({ type: 'finish', reason: 'length' });
    });

    it('yields a 429 as one error event that keeps the status and Retry-After', async () => {
      const events = await collect(await harness.play({ kind: 'rate-limited', retryAfter: '7', message: 'Slow down.' }));
      const error = expectOneTerminalEventLast(events);
      expect(error.type).toBe('error');
      const backendError = (error as Extract<ModelEvent, { type: 'error' }>).error;
      expect(backendError).toBeInstanceOf(BackendError);
      expect(backendError.status).toBe(429);
      expect(backendError.retryAfter).toBe('7');
      expect(backendError.message).toContain('Slow down.');
    });

    it('yields an upstream server error as one error event with a 5xx status', async () => {
      const events = await collect(await harness.play({ kind: 'server-error', message: 'The engine broke.' }));
      const error = expectOneTerminalEventLast(events);
      expect(error.type).toBe('error');
      expect((error as Extract<ModelEvent, { type: 'error' }>).error.status).toBeGreaterThanOrEqual(500);
    });

    it('stops streaming when the request is aborted, and lets the upstream connection go', async () => {
      const backend = await harness.play({ kind: 'hang', chunks: ['Thinking about it'] });
      const controller = new AbortController();
      const events: ModelEvent[] = [];
      for await (const event of backend.stream(modelRequest({ signal: controller.signal }))) {
        events.push(event);
        if (event.type === 'text-delta') controller.abort();
      }
      expect(events.filter((event) => event.type === 'finish')).toEqual([]);
      await harness.lastConnectionClosed?.();
    });
  });
}
