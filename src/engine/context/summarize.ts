import { readFileSync } from 'node:fs';
import { BackendError, type Backend, type ModelMessage, type ModelUsage } from '../../backends/types.js';

const PROMPT = readFileSync(new URL('./summary-prompt.txt', import.meta.url), 'utf8').trim();

export interface SummaryRequest {
  backend: Backend;
  /** The backend's model name. */
  model: string;
  /** The summary so far (null at the start). */
  previous: string | null;
  /** Transcript pieces to fold in, oldest first; each must fit the model's window with the prompt. */
  pieces: string[];
  /** Output limit of each call. */
  maxOutputTokens: number;
  signal: AbortSignal;
}

export interface SummaryResult {
  text: string;
  usage: ModelUsage;
  /** Model calls made. */
  calls: number;
}

/**
 * Writes a model summary of a conversation: one call per transcript piece, each folding the piece
 * into the summary so far (a rolling summary, so a history larger than the window still gets one).
 * The prompt is `summary-prompt.txt`. Backend failures are thrown as {@link BackendError}.
 *
 * @example await writeSummary({ backend, model: 'qwen3:8b', previous: null, pieces: [transcript], maxOutputTokens: 1024, signal })
 */
export async function writeSummary(request: SummaryRequest): Promise<SummaryResult> {
  const usage: ModelUsage = { inputTokens: 0, outputTokens: 0 };
  let summary = request.previous;
  let calls = 0;
  const system = PROMPT.replace('{max_words}', String(Math.max(50, Math.floor(request.maxOutputTokens * 0.6))));
  for (const piece of request.pieces) {
    const messages: ModelMessage[] = [
      { role: 'system', content: system },
      {
        role: 'user',
        content: [{ type: 'text', text: `<earlier_summary>\n${summary ?? '(none)'}\n</earlier_summary>\n\n<conversation>\n${piece}\n</conversation>\n\nWrite the updated summary now.` }],
      },
    ];
    let text = '';
    calls++;
    for await (const event of request.backend.stream({
      model: request.model,
      messages,
      tools: [],
      toolChoice: 'none',
      parallelToolCalls: false,
      maxOutputTokens: request.maxOutputTokens,
      responseFormat: { type: 'text' },
      signal: request.signal,
      stream: false,
    })) {
      if (event.type === 'text-delta') text += event.text;
      else if (event.type === 'error') throw event.error;
      else if (event.type === 'finish' && event.usage) {
        usage.inputTokens += event.usage.inputTokens;
        usage.outputTokens += event.usage.outputTokens;
      }
    }
    if (request.signal.aborted) throw new BackendError(499, 'The summary was cancelled.', { code: 'aborted' });
    text = text.trim();
    if (!text) throw new BackendError(502, 'The model returned an empty summary.', { code: 'empty_summary' });
    summary = text;
  }
  return { text: summary ?? '', usage, calls };
}
