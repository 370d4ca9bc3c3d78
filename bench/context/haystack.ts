/**
 * Deterministic, varied filler text for the context bench: prose on many topics, code, JSON
 * logs, shell sessions and chat, from a seeded generator (the same seed gives the same history).
 */
import { seededRandom } from '../../src/test-support/seeded-random.js';

/** A small, fast seeded PRNG (mulberry32). */
export const random = seededRandom;

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)];

const SUBJECTS = ['The harbour master', 'Our build server', 'The night shift', 'A visiting botanist', 'The billing service', 'The orchestra', 'My neighbour', 'The migration script', 'The survey team', 'The kitchen staff', 'The test runner', 'The river ferry'];
const VERBS = ['reported', 'noticed', 'scheduled', 'rewrote', 'measured', 'rejected', 'documented', 'postponed', 'approved', 'cleaned up', 'benchmarked', 'photographed'];
const OBJECTS = ['the tide tables', 'a flaky integration test', 'the greenhouse humidity', 'three overdue invoices', 'the rehearsal plan', 'the compost heap', 'the index rebuild', 'the coastal path', 'a slow database query', 'the bread oven', 'the deployment checklist', 'the bird census'];
const TAILS = ['before lunch', 'for the second time this week', 'without telling anyone', 'after a long discussion', 'as agreed in the last meeting', 'despite the rain', 'in the shared spreadsheet', 'with mixed results', 'and asked for feedback', 'ahead of the holidays'];
const TOPICS = ['sailing', 'baking', 'astronomy', 'gardening', 'chess', 'databases', 'pottery', 'cycling', 'jazz', 'geology', 'compilers', 'beekeeping'];
const IDENTIFIERS = ['parseConfig', 'retryBackoff', 'loadChain', 'renderPage', 'computeTotals', 'flushQueue', 'openSession', 'validateInput'];

function sentence(rng: () => number): string {
  return `${pick(rng, SUBJECTS)} ${pick(rng, VERBS)} ${pick(rng, OBJECTS)} ${pick(rng, TAILS)}.`;
}

function prose(rng: () => number): string {
  const topic = pick(rng, TOPICS);
  const sentences = Array.from({ length: 4 + Math.floor(rng() * 5) }, () => sentence(rng));
  return `On ${topic}: ${sentences.join(' ')}`;
}

function code(rng: () => number): string {
  const name = pick(rng, IDENTIFIERS);
  const n = 2 + Math.floor(rng() * 9);
  return [
    '```ts',
    `export function ${name}(items: number[], limit = ${n * 10}): number {`,
    '  let total = 0;',
    `  for (const item of items.slice(0, limit)) total += item * ${n};`,
    `  return total > ${n * 1000} ? ${n * 1000} : total;`,
    '}',
    '```',
  ].join('\n');
}

function log(rng: () => number): string {
  const lines = Array.from({ length: 3 + Math.floor(rng() * 4) }, () =>
    JSON.stringify({ level: pick(rng, ['info', 'warn', 'error']), ms: Math.floor(rng() * 5000), msg: `${pick(rng, IDENTIFIERS)} ${pick(rng, VERBS)}`, topic: pick(rng, TOPICS) }),
  );
  return lines.join('\n');
}

function shell(rng: () => number): string {
  return `$ ls -la /srv/${pick(rng, TOPICS)}\ntotal ${Math.floor(rng() * 900)}\n-rw-r--r-- 1 dev dev ${Math.floor(rng() * 99999)} Nov 25 ${pick(rng, IDENTIFIERS)}.ts\n$ echo done`;
}

function chat(rng: () => number): string {
  return `Q: what do you think about ${pick(rng, TOPICS)}?\nA: honestly ${sentence(rng).toLowerCase()} and ${sentence(rng).toLowerCase()}`;
}

const BLOCKS = [prose, prose, prose, code, log, shell, chat];

/**
 * About `chars` characters of mixed filler text.
 *
 * @example haystack(random(1), 8000)
 */
export function haystack(rng: () => number, chars: number): string {
  const blocks: string[] = [];
  let length = 0;
  while (length < chars) {
    const block = pick(rng, BLOCKS)(rng);
    blocks.push(block);
    length += block.length + 2;
  }
  return blocks.join('\n\n');
}

/** One fact hidden in the history, and the question that asks for it. */
export interface Needle {
  /** Its relative position in the history (0 = oldest, 1 = newest). */
  depth: number;
  /** The sentence inserted. */
  text: string;
  /** The value that must reach the model. */
  answer: string;
  question: string;
  /** The locker's name (several needles are asked for together by name). */
  name: string;
}

const NAMES = ['Amber', 'Birch', 'Cobalt', 'Dune', 'Ember', 'Fjord', 'Granite', 'Heather', 'Indigo', 'Juniper', 'Kelp', 'Lichen'];

/**
 * Needles at the given depths: each a locker whose access code is a unique token.
 *
 * @example needles([0.05, 0.5], random(7))[0].question // 'What is the access code for the Amber locker?'
 */
export function needles(depths: readonly number[], rng: () => number): Needle[] {
  return depths.map((depth, index) => {
    const name = NAMES[index % NAMES.length];
    const answer = `${name.slice(0, 3).toUpperCase()}-${1000 + Math.floor(rng() * 9000)}-${Math.floor(rng() * 90 + 10)}`;
    return { depth, name, answer, text: `By the way, the access code for the ${name} locker is ${answer}.`, question: `What is the access code for the ${name} locker?` };
  });
}

/** Inserts a sentence at a random sentence boundary of a text. */
export function insert(text: string, sentenceToAdd: string, rng: () => number): string {
  const boundaries = [...text.matchAll(/\. /g)].map((match) => match.index! + 2);
  const at = boundaries.length ? boundaries[Math.floor(rng() * boundaries.length)] : text.length;
  return `${text.slice(0, at)}${sentenceToAdd} ${text.slice(at)}`;
}
