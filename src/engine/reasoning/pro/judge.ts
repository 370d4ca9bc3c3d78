import { readFileSync } from 'node:fs';
import type { ModelMessage, ModelToolCall } from '../../../backends/types.js';

const PICK_PROMPT = readFileSync(new URL('./judge.txt', import.meta.url), 'utf8');
const SYNTHESIS_PROMPT = readFileSync(new URL('./synthesis.txt', import.meta.url), 'utf8');

/** What the judge sees of one candidate: its final text and the tool calls it ended on. */
export interface CandidateView {
  text: string;
  toolCalls?: readonly Pick<ModelToolCall, 'name' | 'arguments'>[];
}

/**
 * The messages of a judge pass: the conversation the candidates answered, then one user message
 * with the instructions (`pick`: name the best candidate; `synthesize`: write the best answer) and
 * every candidate.
 *
 * @example
 * const messages = judgeMessages(request.messages, [{ text: '41' }, { text: '42' }], 'pick');
 * const choice = parseJudgeChoice(await complete(messages), 2);
 */
export function judgeMessages(conversation: readonly ModelMessage[], candidates: readonly CandidateView[], mode: 'pick' | 'synthesize'): ModelMessage[] {
  const prompt = (mode === 'pick' ? PICK_PROMPT : SYNTHESIS_PROMPT).replaceAll('{{count}}', String(candidates.length)).trim();
  const blocks = candidates.map((candidate, index) => `<candidate number="${index + 1}">\n${describe(candidate)}\n</candidate>`);
  return [...conversation, { role: 'user', content: [{ type: 'text', text: `${prompt}\n\n${blocks.join('\n\n')}` }] }];
}

function describe(candidate: CandidateView): string {
  const parts: string[] = [];
  if (candidate.text.trim()) parts.push(candidate.text.trim());
  for (const call of candidate.toolCalls ?? []) parts.push(`[calls the tool \`${call.name}\` with: ${call.arguments}]`);
  return parts.length ? parts.join('\n') : '[no answer]';
}

/**
 * The 0-based index the judge chose (`BEST: 3` → 2), or null when its reply names no candidate.
 *
 * @example parseJudgeChoice('BEST: 2', 4) // 1
 */
export function parseJudgeChoice(reply: string, count: number): number | null {
  const marked = /BEST\s*[:：]?\s*(?:candidate\s*)?#?(\d+)/i.exec(reply);
  const bare = marked ? null : /^\s*(?:candidate\s*)?#?(\d+)\s*\.?\s*$/i.exec(reply);
  const number = Number((marked ?? bare)?.[1]);
  return Number.isInteger(number) && number >= 1 && number <= count ? number - 1 : null;
}
