import { createHash } from 'node:crypto';
import { splitText } from './chunks.js';

/** One evicted unit, as the rolling summary sees it. */
export interface EvictedUnit {
  /** Its identity: equal for units with the same transcript. */
  readonly uid: number;
  /** Read only when the unit is summarised. */
  readonly transcript: string;
  readonly tokens: number;
}

/** Folds transcript pieces into a summary (one model call per piece). */
export type SummaryWriter = (previous: string | null, pieces: string[]) => Promise<string>;

export interface RollingSummaryRequest {
  /** Separates summaries of different models and different compaction bases. */
  scope: string;
  /** The evicted units, oldest first. */
  units: readonly EvictedUnit[];
  /** The summary the history starts from (a compaction item's), or null. */
  base: string | null;
  /** Evicted tokens the summary may lag behind before it is rewritten (they stay reachable by recall meanwhile). */
  lagTokens: number;
  /** Transcript tokens per summary call (what fits the window beside the prompt and the summary). */
  pieceTokens: number;
  /** Model calls this request may spend. */
  maxCalls: number;
  /** Writes summaries; when absent only summaries already made are used. */
  write?: SummaryWriter;
}

export interface RollingSummary {
  /** The summary to show, or null. */
  text: string | null;
  /** How many of the evicted units it covers (the rest is reachable by recall only). */
  coveredUnits: number;
  /** Model calls made for this request. */
  calls: number;
  /** True when the summary lags more than `lagTokens` behind and no writer was given to catch up. */
  due: boolean;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('base64');

/** The next key of a prefix chain: two 32-bit multiplicative lanes over the unit ids (no hashing of text). */
function extend(lanes: [number, number], uid: number): [number, number] {
  return [Math.imul(lanes[0] ^ uid, 0x9e3779b1) ^ (lanes[0] >>> 15), Math.imul(lanes[1] + uid, 0x85ebca6b) ^ (lanes[1] >>> 13)];
}

/**
 * Rolling summaries of evicted history, cached by the hash chain of the units they cover, so a
 * long chain is summarised incrementally: a call every `lagTokens` of newly evicted history, not
 * on every turn. Concurrent requests for the same summary share one model call.
 *
 * @example const summary = await summaries.summaryFor({ scope, units, base: null, lagTokens: 4000, pieceTokens: 16000, maxCalls: 2, write });
 */
export class RollingSummaries {
  readonly #entries = new Map<string, string>();
  readonly #inFlight = new Map<string, Promise<RollingSummary>>();
  readonly #max: number;

  constructor(maxEntries = 1_000) {
    this.#max = maxEntries;
  }

  async summaryFor(request: RollingSummaryRequest): Promise<RollingSummary> {
    const root = sha1(`${request.scope}\u0000${request.base ?? ''}`);
    const prefixes = [root];
    let lanes: [number, number] = [0x811c9dc5, 0x01000193];
    for (const [index, unit] of request.units.entries()) {
      lanes = extend(lanes, unit.uid);
      prefixes.push(`${root}:${index + 1}:${lanes[0].toString(36)}:${lanes[1].toString(36)}`);
    }
    let covered = request.units.length;
    while (covered > 0 && !this.#entries.has(prefixes[covered])) covered--;
    const text = covered > 0 ? this.#get(prefixes[covered])! : request.base;
    let lag = 0;
    for (let index = covered; index < request.units.length; index++) lag += request.units[index].tokens;
    if (lag <= request.lagTokens || request.maxCalls < 1) return { text, coveredUnits: covered, calls: 0, due: false };
    if (!request.write) return { text, coveredUnits: covered, calls: 0, due: true };

    const target = prefixes[request.units.length];
    const running = this.#inFlight.get(target);
    if (running) return running;
    const task = this.#extend(request, prefixes, covered, text).finally(() => this.#inFlight.delete(target));
    this.#inFlight.set(target, task);
    return task;
  }

  async #extend(request: RollingSummaryRequest, prefixes: string[], covered: number, start: string | null): Promise<RollingSummary> {
    // Pieces of at most pieceTokens, each ending at a unit boundary unless one unit alone is larger.
    const pieces: { text: string; endUnit: number }[] = [];
    let current = '';
    let currentTokens = 0;
    for (let index = covered; index < request.units.length; index++) {
      const unit = request.units[index];
      if (unit.tokens > request.pieceTokens) {
        if (current) pieces.push({ text: current, endUnit: index });
        const parts = splitText(unit.transcript, Math.max(200, Math.floor((unit.transcript.length * request.pieceTokens) / unit.tokens)));
        parts.forEach((part, partIndex) => pieces.push({ text: part, endUnit: partIndex === parts.length - 1 ? index + 1 : -1 }));
        current = '';
        currentTokens = 0;
        continue;
      }
      if (currentTokens + unit.tokens > request.pieceTokens && current) {
        pieces.push({ text: current, endUnit: index });
        current = '';
        currentTokens = 0;
      }
      current = current ? `${current}\n\n${unit.transcript}` : unit.transcript;
      currentTokens += unit.tokens;
    }
    if (current) pieces.push({ text: current, endUnit: request.units.length });
    // A summary far behind (after a restart, or one huge input) catches up on its latest part only; recall covers the rest.
    const todo = pieces.slice(-request.maxCalls);
    let summary = start;
    let calls = 0;
    for (const piece of todo) {
      summary = await request.write!(summary, [piece.text]);
      calls++;
      if (piece.endUnit > 0) this.#set(prefixes[piece.endUnit], summary);
    }
    return { text: summary, coveredUnits: request.units.length, calls, due: false };
  }

  #get(key: string): string | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  #set(key: string, value: string): void {
    this.#entries.set(key, value);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

/** The process-wide rolling summaries. */
export const sharedRollingSummaries = new RollingSummaries();
