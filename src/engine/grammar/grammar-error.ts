/**
 * Thrown when a grammar definition itself is invalid or uses syntax Kestrel cannot check.
 *
 * @example
 * try { compileGrammar({ syntax: 'lark', definition: 'start: (' }) } catch (error) { if (error instanceof GrammarError) console.log(error.message) }
 */
export class GrammarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrammarError';
  }
}
