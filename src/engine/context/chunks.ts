import type { TermBag } from './terms.js';

/** A searchable piece of evicted history. */
export interface Chunk {
  text: string;
  bag: TermBag;
}

/**
 * Cuts text into pieces of at most `maxChars`, preferring paragraph, then line, then sentence,
 * then word boundaries.
 *
 * @example splitText('One. Two. Three.', 10) // ['One. Two.', 'Three.']
 */
export function splitText(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    if (text.length - start <= maxChars) {
      pieces.push(text.slice(start));
      break;
    }
    const limit = start + maxChars;
    const floor = start + Math.floor(maxChars / 2);
    let cut = -1;
    for (const separator of ['\n\n', '\n', '. ', ' ']) {
      const found = text.lastIndexOf(separator, limit - separator.length);
      if (found >= floor) {
        cut = found + separator.length;
        break;
      }
    }
    if (cut < 0) cut = limit;
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  return pieces.map((piece) => piece.trim()).filter(Boolean);
}
