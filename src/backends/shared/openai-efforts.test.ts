import { describe, expect, it } from 'vitest';
import { openAIEfforts } from './openai-efforts.js';

describe('openAIEfforts', () => {
  it.each([
    ['gpt-5.4', ['none', 'low', 'medium', 'high', 'xhigh']],
    ['gpt-5.4-mini-2026-03-17', ['none', 'low', 'medium', 'high', 'xhigh']],
    ['openai/gpt-5.2', ['none', 'low', 'medium', 'high', 'xhigh']],
    ['gpt-5.3-codex', ['low', 'medium', 'high', 'xhigh']],
    ['gpt-5.1-codex-max', ['low', 'medium', 'high', 'xhigh']],
    ['gpt-5.1', ['none', 'low', 'medium', 'high']],
    ['gpt-5-mini', ['minimal', 'low', 'medium', 'high']],
    ['gpt-5-pro', ['high']],
    ['gpt-5.4-pro', ['high']],
    ['o3', ['low', 'medium', 'high']],
  ])('%s accepts %j', (model, levels) => {
    expect(openAIEfforts(model)).toEqual(levels);
  });

  it('knows nothing of other models', () => {
    expect(openAIEfforts('gpt-4.1')).toBeUndefined();
    expect(openAIEfforts('qwen3:8b')).toBeUndefined();
  });
});
