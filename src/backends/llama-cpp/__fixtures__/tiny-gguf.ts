import { readFileSync } from 'node:fs';
import { writeGguf, type GgufTensor, type GgufValue } from './gguf-writer.js';
import { seededRandom as random } from '../../../test-support/seeded-random.js';

/**
 * A tiny llama-architecture GGUF with random weights, made at test time so the whole local-model
 * path (load, chat template, sampling, grammars, embeddings) runs with no download. The vocabulary
 * is byte-level BPE (GPT-2 style: every byte is a token, plus a few merges and ChatML control
 * tokens), and the chat template is a ChatML template with tool calls (`<tool_call>` JSON).
 */

export interface TinyGgufOptions {
  /** Hidden size (default 64). */
  embedding?: number;
  /** Transformer blocks (default 2). */
  layers?: number;
  /** Attention heads (default 4). */
  heads?: number;
  /** Key/value heads (default 2: grouped-query attention). */
  kvHeads?: number;
  /** Feed-forward size (default 4 × embedding). */
  feedForward?: number;
  /** Training context written to the metadata (default 4096). */
  contextLength?: number;
  /** Seed of the random weights (default 1). */
  seed?: number;
  /** `general.name` (default "Tiny Test"). */
  name?: string;
  /** Chat template (default {@link TINY_CHAT_TEMPLATE}); null writes none. */
  chatTemplate?: string | null;
  /**
   * Makes the model write this text after any prompt that ends with a line break (as chat
   * prompts do), then end its turn: the blocks pass their input through unchanged and the output
   * layer maps each token to the next one of the script (a bigram model). Each token of the
   * script may have only one successor, so most text must avoid repeating a character.
   */
  script?: string;
  /** The output layer never favours the control tokens, so greedy decoding never ends a turn (benchmarks). */
  endless?: boolean;
}

/** The fixture's chat template: ChatML with Hermes-style `<tool_call>` blocks and a recognisable default system line. */
export const TINY_CHAT_TEMPLATE = readFileSync(new URL('./tiny-chat-template.jinja', import.meta.url), 'utf8');

const MERGES: [string, string][] = [
  ['Ġ', 't'], ['h', 'e'], ['i', 'n'], ['Ġ', 'a'], ['e', 'r'], ['o', 'n'], ['Ġt', 'he'], ['r', 'e'], ['Ġ', 's'], ['a', 't'],
  ['e', 'n'], ['o', 'r'], ['Ġ', 'w'], ['Ġ', 'o'], ['i', 's'], ['in', 'g'], ['Ġ', 'c'], ['Ġ', 'f'], ['Ġ', 'b'], ['l', 'l'],
  ['"', ':'], ['{', '"'], ['Ġ', 'h'], ['e', 'l'], ['l', 'o'],
];
export const TINY_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
/** Tokens matched as a whole in text (like Qwen's), so that a tool-call prefix can be one token. */
export const TINY_USER_TOKENS = ['<tool_call>', '</tool_call>', '<think>', '</think>'] as const;

/** GPT-2's byte → printable character table (bytes_to_unicode). */
function byteCharacters(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array(256);
  let next = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + next++);
  return table;
}

/** The vocabulary: 256 byte tokens, the merged tokens, then the control tokens. */
export function tinyVocabulary(): { tokens: string[]; types: number[]; merges: string[] } {
  const tokens = byteCharacters();
  const types = tokens.map(() => 1);
  for (const [a, b] of MERGES) {
    tokens.push(a + b);
    types.push(1);
  }
  for (const special of TINY_SPECIAL_TOKENS) {
    tokens.push(special);
    types.push(3);
  }
  for (const token of TINY_USER_TOKENS) {
    tokens.push(token);
    types.push(4);
  }
  return { tokens, types, merges: MERGES.map(([a, b]) => `${a} ${b}`) };
}

/** How many parameters a model of these options has. */
export function tinyParameterCount(options: TinyGgufOptions = {}): number {
  const p = resolve(options);
  const vocab = tinyVocabulary().tokens.length;
  const kv = (p.embedding / p.heads) * p.kvHeads;
  const block = 2 * p.embedding + 2 * p.embedding * p.embedding + 2 * p.embedding * kv + 3 * p.embedding * p.feedForward;
  return 2 * vocab * p.embedding + p.embedding + p.layers * block;
}

function resolve(options: TinyGgufOptions) {
  const embedding = options.embedding ?? 64;
  return {
    embedding,
    layers: options.layers ?? 2,
    heads: options.heads ?? 4,
    kvHeads: options.kvHeads ?? 2,
    feedForward: options.feedForward ?? embedding * 4,
    contextLength: options.contextLength ?? 4096,
    seed: options.seed ?? 1,
    name: options.name ?? 'Tiny Test',
  };
}

/**
 * Writes a tiny random llama GGUF to `path` (F32 weights; about 0.5 MB with the defaults).
 *
 * @example writeTinyGguf(join(dir, 'tiny.gguf'));
 */
export function writeTinyGguf(path: string, options: TinyGgufOptions = {}): void {
  const p = resolve(options);
  if (p.embedding % p.heads !== 0 || p.heads % p.kvHeads !== 0) throw new Error('embedding must divide by heads, heads by kvHeads');
  const vocab = tinyVocabulary();
  const headSize = p.embedding / p.heads;
  const kv = headSize * p.kvHeads;
  const next = random(p.seed);
  const matrix = (name: string, cols: number, rows: number): GgufTensor => {
    // Uniform weights scaled by 1/sqrt(fan-in) keep activations in range through the blocks.
    const scale = Math.sqrt(3 / cols);
    const data = new Float32Array(cols * rows);
    for (let i = 0; i < data.length; i++) data[i] = (next() * 2 - 1) * scale;
    return { name, dims: [cols, rows], data };
  };
  const ones = (name: string, size: number): GgufTensor => ({ name, dims: [size], data: new Float32Array(size).fill(1) });
  const zeros = (name: string, cols: number, rows: number): GgufTensor => ({ name, dims: [cols, rows], data: new Float32Array(cols * rows) });
  const block = options.script === undefined ? matrix : zeros;
  const embeddings = matrix('token_embd.weight', p.embedding, vocab.tokens.length);
  const tensors: GgufTensor[] = [embeddings];
  for (let layer = 0; layer < p.layers; layer++) {
    const prefix = `blk.${layer}`;
    tensors.push(
      ones(`${prefix}.attn_norm.weight`, p.embedding),
      block(`${prefix}.attn_q.weight`, p.embedding, p.embedding),
      block(`${prefix}.attn_k.weight`, p.embedding, kv),
      block(`${prefix}.attn_v.weight`, p.embedding, kv),
      block(`${prefix}.attn_output.weight`, p.embedding, p.embedding),
      ones(`${prefix}.ffn_norm.weight`, p.embedding),
      block(`${prefix}.ffn_gate.weight`, p.embedding, p.feedForward),
      block(`${prefix}.ffn_up.weight`, p.embedding, p.feedForward),
      block(`${prefix}.ffn_down.weight`, p.feedForward, p.embedding),
    );
  }
  const output = matrix('output.weight', p.embedding, vocab.tokens.length);
  if (options.script !== undefined) scriptOutput(output.data, embeddings.data, p.embedding, scriptTransitions(options.script, vocab.tokens));
  if (options.endless) {
    // A zero row gives a zero logit, below the best of hundreds of random ones.
    vocab.types.forEach((type, id) => {
      if (type === 3) output.data.fill(0, id * p.embedding, (id + 1) * p.embedding);
    });
  }
  tensors.push(ones('output_norm.weight', p.embedding), output);

  const special = (token: string) => vocab.tokens.indexOf(token);
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: p.name },
    'general.file_type': { type: 'u32', value: 0 },
    'general.alignment': { type: 'u32', value: 32 },
    'llama.context_length': { type: 'u32', value: p.contextLength },
    'llama.embedding_length': { type: 'u32', value: p.embedding },
    'llama.block_count': { type: 'u32', value: p.layers },
    'llama.feed_forward_length': { type: 'u32', value: p.feedForward },
    'llama.attention.head_count': { type: 'u32', value: p.heads },
    'llama.attention.head_count_kv': { type: 'u32', value: p.kvHeads },
    'llama.rope.dimension_count': { type: 'u32', value: headSize },
    'llama.rope.freq_base': { type: 'f32', value: 10000 },
    'llama.attention.layer_norm_rms_epsilon': { type: 'f32', value: 1e-5 },
    'llama.vocab_size': { type: 'u32', value: vocab.tokens.length },
    'tokenizer.ggml.model': { type: 'string', value: 'gpt2' },
    'tokenizer.ggml.pre': { type: 'string', value: 'gpt-2' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: vocab.tokens },
    'tokenizer.ggml.token_type': { type: 'i32[]', value: vocab.types },
    'tokenizer.ggml.merges': { type: 'string[]', value: vocab.merges },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: special('<|endoftext|>') },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: special('<|im_end|>') },
    'tokenizer.ggml.padding_token_id': { type: 'u32', value: special('<|endoftext|>') },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: false },
  };
  const template = options.chatTemplate === undefined ? TINY_CHAT_TEMPLATE : options.chatTemplate;
  if (template !== null) metadata['tokenizer.chat_template'] = { type: 'string', value: template };
  writeGguf(path, metadata, tensors);
}

/** Token ids spelling `text`: the longest vocabulary token at each point (bytes where nothing longer fits). */
function spell(text: string, tokens: string[]): number[] {
  const table = byteCharacters();
  const byteOf = new Map(table.map((char, byte) => [char, byte]));
  const texts = tokens.map((token, id) => {
    if (id >= 256 + MERGES.length) return token;
    return Buffer.from([...token].map((char) => byteOf.get(char) ?? 0)).toString('latin1');
  });
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  const ids: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    let best = bytes.charCodeAt(at);
    let length = 1;
    texts.forEach((candidate, id) => {
      if (candidate.length > length && bytes.startsWith(candidate, at)) {
        best = id;
        length = candidate.length;
      }
    });
    ids.push(best);
    at += length;
  }
  return ids;
}

/** The script as token transitions, from the line break that ends a chat prompt to the end-of-turn token. */
function scriptTransitions(script: string, tokens: string[]): Map<number, number> {
  const ids = [0x0a, ...spell(script, tokens), tokens.indexOf('<|im_end|>')];
  const next = new Map<number, number>();
  for (let i = 0; i + 1 < ids.length; i++) {
    const known = next.get(ids[i]);
    if (known !== undefined && known !== ids[i + 1]) throw new Error(`script: token ${JSON.stringify(tokens[ids[i]])} would need two successors; change the text`);
    next.set(ids[i], ids[i + 1]);
  }
  return next;
}

/** Output rows that make each script token's embedding (after RMS norm) point at its successor. */
function scriptOutput(output: Float32Array, embeddings: Float32Array, size: number, next: Map<number, number>): void {
  const strength = 40;
  output.fill(0);
  for (const [from, to] of next) {
    const row = embeddings.subarray(from * size, (from + 1) * size);
    let squares = 0;
    for (const value of row) squares += value * value;
    const rms = Math.sqrt(squares / size);
    for (let i = 0; i < size; i++) output[to * size + i] += (strength * row[i]) / rms / size;
  }
}
