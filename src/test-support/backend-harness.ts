import type { BackendHarness, ConformanceScenario } from '../backends/conformance.js';
import type { Backend } from '../backends/types.js';
import { startFakeUpstream, type UpstreamReply } from './fake-upstream.js';

/**
 * A conformance harness for a backend that talks HTTP: a fake upstream answers each call with
 * the reply `toReply` builds for the scenario, in the backend's wire format.
 *
 * @example backendConformance('openai-chat', () => upstreamHarness(chatReply, (baseURL) => createOpenAIChatBackend('t', { type: 'openai-chat', baseURL })));
 */
export async function upstreamHarness(toReply: (scenario: ConformanceScenario) => UpstreamReply, create: (baseURL: string) => Backend): Promise<BackendHarness> {
  const upstream = await startFakeUpstream();
  const backend = create(upstream.baseURL);
  return {
    play(scenario) {
      upstream.reply({ ...toReply(scenario), hold: scenario.kind === 'hang' });
      return backend;
    },
    lastConnectionClosed: () => upstream.requests.at(-1)!.closed,
    async close() {
      await backend.close?.();
      await upstream.close();
    },
  };
}

/** An SSE body from `[event name, data]` pairs (event name null for `data:`-only streams). */
export function sseBody(events: [string | null, unknown][]): string {
  return events.map(([event, data]) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join('');
}
