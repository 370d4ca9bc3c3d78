import { LlamaGrammarEvaluationState, type LlamaContextSequence, type LlamaGrammar, type LlamaModel, type SequenceEvaluateOptions, type Token } from 'node-llama-cpp';

/** Sampling settings of one model call. */
export type SamplingOptions = Omit<SequenceEvaluateOptions, 'grammarEvaluationState' | 'yieldEogToken' | 'evaluationPriority' | 'contextShift'>;

/**
 * One sequence's sampling loop, restartable with other input and another grammar: `start`
 * evaluates tokens and samples one, `keep` evaluates the sampled token and samples the next.
 * A sampled token is only evaluated (enters the sequence) when kept, so a token can be dropped:
 * an end-of-generation token that only says a grammar is complete, or text replaced by its
 * canonical tokens.
 *
 * @example
 * const decoder = new Decoder(model, sequence, { temperature: 0.8 });
 * let token = await decoder.start(promptTokens, null);
 * while (token !== null && !model.isEogToken(token)) token = await decoder.keep();
 */
export class Decoder {
  private iterator: AsyncGenerator<Token, void, void | Token | Token[]> | null = null;
  private restarts = 0;

  constructor(
    private readonly model: LlamaModel,
    private readonly sequence: LlamaContextSequence,
    private readonly options: SamplingOptions,
  ) {}

  /** Evaluates `tokens` and samples the next token under `grammar` (none when null). */
  async start(tokens: Token[], grammar: LlamaGrammar | null): Promise<Token | null> {
    await this.stop();
    if (!tokens.length) {
      // Sampling needs fresh logits: evaluate the last token again.
      const last = this.sequence.contextTokens.at(-1);
      if (last === undefined) return null;
      await this.sequence.eraseContextTokenRanges([{ start: this.sequence.nextTokenIndex - 1, end: this.sequence.nextTokenIndex }]);
      tokens = [last];
    }
    const grammarEvaluationState = grammar ? new LlamaGrammarEvaluationState({ model: this.model, grammar }) : undefined;
    // A restarted phase (a retry) samples with another seed, or it would draw the same tokens again.
    const seed = this.options.seed === undefined ? undefined : this.options.seed + this.restarts++;
    // The token bias guards grammars (see utf8-guard.ts); free text goes without its per-token cost.
    const tokenBias = grammar ? this.options.tokenBias : undefined;
    this.iterator = this.sequence.evaluate(tokens, { ...this.options, seed, tokenBias, grammarEvaluationState, yieldEogToken: true });
    return this.read(await this.iterator.next());
  }

  /** Evaluates the last sampled token and samples the next. */
  async keep(): Promise<Token | null> {
    if (!this.iterator) return null;
    return this.read(await this.iterator.next());
  }

  /** Ends the loop; the last sampled token is not evaluated. */
  async stop(): Promise<void> {
    const iterator = this.iterator;
    this.iterator = null;
    if (iterator) await iterator.return(undefined);
  }

  /** Where the next evaluated token goes in the sequence. */
  get position(): number {
    return this.sequence.nextTokenIndex;
  }

  /** Removes evaluated tokens from `start` on (the loop must be stopped first). */
  async truncate(start: number): Promise<void> {
    await this.stop();
    if (start < this.sequence.nextTokenIndex) await this.sequence.eraseContextTokenRanges([{ start, end: this.sequence.nextTokenIndex }]);
  }

  private read(result: IteratorResult<Token, void>): Token | null {
    if (result.done) {
      this.iterator = null;
      return null;
    }
    return result.value;
  }
}
