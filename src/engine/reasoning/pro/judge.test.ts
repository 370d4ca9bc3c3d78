import { describe, expect, it } from 'vitest';
import type { ModelMessage } from '../../../backends/types.js';
import { judgeMessages, parseJudgeChoice } from './judge.js';

const conversation: ModelMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'What is 6 × 7?' }] },
];

describe('judgeMessages', () => {
  it('keeps the conversation and adds one user message with the prompt and every candidate', () => {
    const messages = judgeMessages(conversation, [{ text: '42' }, { text: '', toolCalls: [{ name: 'calculator', arguments: '{"expr":"6*7"}' }] }], 'pick');
    expect(messages.slice(0, 2)).toEqual(conversation);
    expect(messages).toHaveLength(3);
    const last = messages[2] as Extract<ModelMessage, { role: 'user' }>;
    const text = (last.content[0] as { text: string }).text;
    expect(text).toContain('candidates 1 to 2');
    expect(text).toContain('BEST: <the number of the best candidate>');
    expect(text).toContain('<candidate number="1">\n42\n</candidate>');
    expect(text).toContain('[calls the tool `calculator` with: {"expr":"6*7"}]');
  });

  it('asks for a synthesised answer in synthesize mode', () => {
    const last = judgeMessages(conversation, [{ text: 'a' }, { text: 'b' }, { text: 'c' }], 'synthesize').at(-1) as Extract<ModelMessage, { role: 'user' }>;
    const text = (last.content[0] as { text: string }).text;
    expect(text).toContain('write the single best answer');
    expect(text).not.toContain('BEST:');
    expect(text).toContain('<candidate number="3">\nc\n</candidate>');
  });
});

describe('parseJudgeChoice', () => {
  it.each([
    ['BEST: 2', 3, 1],
    ['best: candidate 3', 3, 2],
    ['After comparing them: BEST: #1', 2, 0],
    ['2', 4, 1],
    ['BEST: 5', 4, null],
    ['BEST: 0', 4, null],
    ['I like the second one', 4, null],
  ])('%j of %d → %j', (reply, count, index) => {
    expect(parseJudgeChoice(reply, count)).toBe(index);
  });
});
