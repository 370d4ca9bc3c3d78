import { readFileSync } from 'node:fs';
import { foldText } from './fold.js';

let loaded: Set<string> | null = null;

/**
 * Function words of the languages tool search reads (English, French, German, Spanish, Italian,
 * Portuguese, Japanese, Chinese), folded. Loaded once from `stopwords.txt`.
 *
 * @example isStopword('the') // true
 */
export function isStopword(word: string): boolean {
  loaded ??= parseWordList(readFileSync(new URL('./stopwords.txt', import.meta.url), 'utf8'));
  return loaded.has(word);
}

function parseWordList(text: string): Set<string> {
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const body = line.replace(/^\s*[a-z]{2}:/, '');
    for (const match of body.matchAll(/"([^"]+)"|(\S+)/g)) words.add(foldText(match[1] ?? match[2]));
  }
  return words;
}
