/**
 * The baseline: node-llama-cpp used directly on the same GGUF, the same prompt (rendered by the
 * same chat wrapper) and the same greedy decoding, without Kestrel: the token loop
 * (`sequence.evaluate`, detokenizing each token), the least work any caller does.
 */
import { performance } from 'node:perf_hooks';
import { getLlama, resolveChatWrapper, type ChatHistoryItem, type ChatWrapper, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';

export interface Run {
  tokens: number;
  ms: number;
  /** Time to the first generated token. */
  firstTokenMs: number;
}

export interface DirectEngine {
  promptTokens: number;
  /** `count` generations at once, one per sequence; each produces `maxTokens` tokens. */
  evaluate(count: number, maxTokens: number): Promise<Run[]>;
  close(): Promise<void>;
}

export async function startDirect(options: { modelPath: string; input: string; contextSize: number; sequences: number; threads: number }): Promise<DirectEngine> {
  const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false });
  const model: LlamaModel = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 0 });
  const context: LlamaContext = await model.createContext({ contextSize: options.contextSize, sequences: options.sequences, threads: options.threads });
  const sequences: LlamaContextSequence[] = Array.from({ length: options.sequences }, () => context.getSequence());
  const wrapper: ChatWrapper = resolveChatWrapper(model);
  const history: ChatHistoryItem[] = [{ type: 'user', text: options.input }, { type: 'model', response: [] }];
  const prompt = wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);

  async function one(sequence: LlamaContextSequence, maxTokens: number): Promise<Run> {
    const started = performance.now();
    // Like Kestrel, keep what the sequence already holds of the prompt.
    const keep = Math.min(sequence.compareContextTokens(prompt).firstDifferentIndex, prompt.length - 1);
    if (sequence.nextTokenIndex > keep) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
    let tokens = 0;
    let firstTokenMs = 0;
    let text = '';
    const previous: Token[] = [];
    for await (const token of sequence.evaluate(prompt.slice(keep), { temperature: 0 })) {
      if (tokens === 0) firstTokenMs = performance.now() - started;
      text += model.detokenize([token], false, previous);
      previous.push(token);
      if (++tokens >= maxTokens) break;
    }
    if (!text && tokens) throw new Error('no text');
    return { tokens, ms: performance.now() - started, firstTokenMs };
  }

  return {
    promptTokens: prompt.length,
    evaluate: (count, maxTokens) => Promise.all(sequences.slice(0, count).map((sequence) => one(sequence, maxTokens))),
    async close() {
      await context.dispose();
      await model.dispose();
    },
  };
}
