import type { ModelRequest } from '../../src/backends/types.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { startTestServer, type TestServer } from '../../src/test-support/server.js';

/** The bench's small model: 32k window, o200k tokenizer (a gpt-oss model), 4k output. */
export const SMALL_MODEL = 'gpt-oss-32k';
/** A GPT-5.4-sized window over the same scripted backend. */
export const LARGE_MODEL = 'gpt-5.4-1m';

const config: ConfigFile = {
  models: {
    [SMALL_MODEL]: { backend: 'scripted', model: 'gpt-oss-20b', contextWindow: 32_768, maxOutputTokens: 4_096 },
    [LARGE_MODEL]: { backend: 'scripted', model: 'gpt-5.4', contextWindow: 1_050_000, maxOutputTokens: 128_000 },
  },
};

/** Whether a model call is one of Kestrel's summary calls (rolling summary or compaction). */
export const isSummaryCall = (request: ModelRequest) => request.messages[0]?.role === 'system' && request.messages[0].content.startsWith('You compact a conversation');

const ANSWER = 'Noted. I have recorded this part of the conversation and will keep it in mind for the questions that follow; tell me when you want a recap or a decision on any of the points above.';

/**
 * Kestrel on a loopback port over the scripted backend. Summary calls get a fixed summary that
 * quotes nothing from the history, so a needle reaches the model only through recall or the
 * recent turns.
 */
export function startBenchServer(): Promise<TestServer> {
  return startTestServer({
    config,
    script: (request) => (isSummaryCall(request) ? { text: 'The user shared long notes about many topics (prose, code, logs) and asked the assistant to keep them in mind.' } : { text: ANSWER }),
  });
}
