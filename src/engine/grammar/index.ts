import { EarleyRecogniser, type Recognition } from './earley.js';
import { grammarFailure, type GrammarCheck, type GrammarFormat } from './feedback.js';
import { GrammarError } from './grammar-error.js';
import { compileLark } from './lark-compile.js';
import { compileRegexGrammar } from './regex-grammar.js';
import { withinTimeLimit } from './time-limit.js';

/**
 * Checks custom tool inputs against the tool's grammar (`format: {type: "grammar", syntax:
 * "lark" | "regex", definition}`) for models that cannot decode under a grammar, and words the
 * retry message when an input does not match.
 */

export { GrammarError } from './grammar-error.js';
export { describeGrammarForPrompt, formatGrammarFeedback, type GrammarCheck, type GrammarFailure, type GrammarFormat } from './feedback.js';

/** A grammar ready to check inputs. */
export interface CompiledGrammar {
  /**
   * Whether `input` matches; when not, where and why. Throws GrammarError when the check takes
   * longer than {@link GRAMMAR_CHECK_LIMIT_MS} (a regex in the grammar that backtracks without end).
   */
  check(input: string): GrammarCheck;
}

const CACHE_SIZE = 64;
/** A check longer than this stops with a GrammarError (a 257 KB apply_patch input takes ~75 ms). */
export const GRAMMAR_CHECK_LIMIT_MS = 2_000;
const cache = new Map<string, CompiledGrammar>();

function build(format: GrammarFormat): CompiledGrammar {
  let recognise: (input: string) => Recognition;
  if (format.syntax === 'lark') {
    const recogniser = new EarleyRecogniser(compileLark(format.definition));
    recognise = (input) => recogniser.recognise(input);
  } else if (format.syntax === 'regex') {
    const grammar = compileRegexGrammar(format.definition);
    recognise = (input) => grammar.recognise(input);
  } else {
    throw new GrammarError(`Unknown grammar syntax '${String(format.syntax)}' (expected 'lark' or 'regex').`);
  }
  return {
    check(input: string): GrammarCheck {
      const outcome = withinTimeLimit(() => recognise(input), GRAMMAR_CHECK_LIMIT_MS);
      if (outcome.timedOut) {
        throw new GrammarError(
          `Checking an input of ${input.length} characters against this ${format.syntax} grammar took longer than ${GRAMMAR_CHECK_LIMIT_MS / 1000} s and was stopped; ` +
            'a regular expression in it probably backtracks without end (nested quantifiers such as (a+)+). Simplify the grammar.',
        );
      }
      const result = outcome.value;
      return result.ok ? result : grammarFailure(input, result.offset, result.expected);
    },
  };
}

/**
 * Compiles a Lark or regex grammar. Throws GrammarError (with a line and column for Lark) when the
 * definition itself is invalid. Compiled grammars are cached by definition, since clients such as
 * Codex send the same grammar with every request.
 *
 * @example
 * const grammar = compileGrammar({ syntax: 'lark', definition: 'start: "add " NUMBER " " NUMBER\n%import common.NUMBER' });
 * grammar.check('add 1 2') // { ok: true }
 * grammar.check('add 1') // { ok: false, message: 'Line 1, column 6: expected " " but the input ended', … }
 */
export function compileGrammar(format: GrammarFormat): CompiledGrammar {
  const key = `${format.syntax}\u0000${format.definition}`;
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const compiled = build(format);
  cache.set(key, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return compiled;
}
