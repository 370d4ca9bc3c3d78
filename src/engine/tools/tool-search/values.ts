import { porterStem } from './porter-stemmer.js';

/** Prefix of the index terms that stand for a parameter's words (`=email`), apart from the text's terms. */
export const PARAMETER_PREFIX = '=';

/** A kind of value recognised in a request, and the parameter words that usually take it. */
interface ValueKind {
  kind: string;
  pattern: RegExp;
  parameters: string[];
  /** Rejects a match that is words after all. */
  accept?: (match: string) => boolean;
}

const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|segunda|terça|terca|quarta|quinta|sexta';
// `may` and `march` are left out: they are also words.
const MONTHS = 'january|february|april|june|july|august|september|october|november|december';

// Order matters: an e-mail address holds a domain, a URL holds a file name.
const KINDS: ValueKind[] = [
  { kind: 'email', pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, parameters: ['email', 'mail', 'recipient', 'address'] },
  { kind: 'url', pattern: /\bhttps?:\/\/[^\s"'<>]+|\bwww\.[^\s"'<>]+/giu, parameters: ['url', 'uri', 'link', 'website'] },
  { kind: 'ip', pattern: /\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?\b/g, parameters: ['ip', 'cidr', 'address', 'source'] },
  { kind: 'phone', pattern: /(?<![\p{L}\p{N}])\+\d[\d\s().-]{6,}\d/gu, parameters: ['phone', 'number', 'to'] },
  { kind: 'money', pattern: /[$€£¥]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?)\b/giu, parameters: ['amount', 'price', 'currency'] },
  { kind: 'percent', pattern: /\b\d+(?:[.,]\d+)?\s?%/g, parameters: ['percent', 'percentage', 'level'] },
  { kind: 'file', pattern: /\b[\p{L}\p{N}_-]+\.(?:csv|tsv|pdf|png|jpe?g|gif|svg|txt|md|json|ya?ml|xlsx?|docx?|pptx?|zip|tar|gz|mp3|mp4|wav|html?|xml|log|sql|py|js|ts|go|java|rb)\b/giu, parameters: ['file', 'path', 'filename', 'key'] },
  // owner/name or a/b/c: a repository or a path (after URLs, e-mail addresses and IP ranges, which hold slashes too).
  { kind: 'path', pattern: /(?<![\p{L}\p{N}_./-])[\p{L}\p{N}_.-]*\p{L}[\p{L}\p{N}_.-]*(?:\/[\p{L}\p{N}_.-]+)+/gu, parameters: ['repository', 'repo', 'path', 'project'], accept: (match) => match.split('/').some((part) => part.length > 3) },
  { kind: 'domain', pattern: /\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|co|ai|fr|de|uk|es|it|eu)\b/giu, parameters: ['domain', 'hostname', 'host'] },
  { kind: 'version', pattern: /\bv?\d+\.\d+\.\d+\b/giu, parameters: ['version', 'tag'] },
  { kind: 'time', pattern: new RegExp(`\\b\\d{1,2}(?::\\d{2})?\\s?(?:am|pm)\\b|\\b\\d{1,2}:\\d{2}\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b(?:${WEEKDAYS}|${MONTHS})\\b`, 'giu'), parameters: ['time', 'date', 'start', 'due', 'at'] },
  { kind: 'key', pattern: /\b[A-Z][A-Z0-9]+-\d+\b/g, parameters: ['key', 'issue', 'id'] },
  { kind: 'channel', pattern: /(?<![\p{L}\p{N}&])#[\p{L}][\p{L}\p{N}_-]*/gu, parameters: ['channel'] },
  { kind: 'handle', pattern: /(?<![\p{L}\p{N}.])@[\p{L}][\p{L}\p{N}_.]*/gu, parameters: ['user', 'username', 'handle'] },
];

/** A value found in a request: its kind, the parameter terms it points to, and where it was. */
export interface FoundValue {
  kind: string;
  text: string;
  terms: string[];
}

/**
 * Finds the values a request carries (an e-mail address, a phone number, an amount, a file name,
 * a time…) and removes them from the text, so that "report.csv" or "fans.com" are not read as
 * words. Each value points to the parameter words that usually take it (`email`, `phone`,
 * `amount`…): tools whose parameters take such values fit the request better.
 *
 * @example findValues('Text +1 555 0100 the code') // { text: 'Text   the code', values: [{ kind: 'phone', … }] }
 */
export function findValues(text: string): { text: string; values: FoundValue[] } {
  const values: FoundValue[] = [];
  let rest = text;
  for (const { kind, pattern, parameters, accept } of KINDS) {
    rest = rest.replace(pattern, (match) => {
      if (accept && !accept(match)) return match;
      values.push({ kind, text: match, terms: parameters.map(parameterTerm) });
      // Times and weekdays stay words too ("schedule for Friday" reads the same).
      return kind === 'time' ? match : ' ';
    });
  }
  return { text: rest, values };
}

/** The index term of one word of a parameter's name or description. */
export function parameterTerm(word: string): string {
  return PARAMETER_PREFIX + porterStem(word);
}
