import { ChatMLChatWrapper, HarmonyChatWrapper, JinjaTemplateChatWrapper, QwenChatWrapper, SeedChatWrapper, type ChatHistoryItem, type ChatWrapper } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { THINK_TAGS_TEMPLATE, THINKING_SWITCH_TEMPLATE } from './__fixtures__/models-dir.js';
import { jinjaThinkingOffPrefill, thinkingControl } from './thinking.js';

const conversation: ChatHistoryItem[] = [{ type: 'user', text: 'Hi' }, { type: 'model', response: [] }];
const render = (wrapper: ChatWrapper) => wrapper.generateContextState({ chatHistory: conversation }).contextText.toString();

describe('thinking switches of chat wrappers', () => {
  it("Qwen: none discourages thoughts (an empty thought starts the turn); other levels keep the model's default", () => {
    const wrapper = new QwenChatWrapper();
    const control = thinkingControl(wrapper);
    expect(control.marksThoughts).toBe(true);
    expect(control.levels).toBeUndefined();
    const off = control.forEffort('none', 0);
    expect(off.thinking).toBe(false);
    expect(render(off.wrapper).endsWith('<|im_start|>assistant\n<think>\n\n</think>\n\n')).toBe(true);
    const on = control.forEffort('high', 16_384);
    expect(on).toMatchObject({ wrapper, thinking: true, prefill: null });
    expect(render(on.wrapper).endsWith('<|im_start|>assistant\n')).toBe(true);
    // The wrapper the model was loaded with is left as it was.
    expect(wrapper.thoughts).toBe('auto');
  });

  it("the GGUF's Jinja template: enable_thinking false becomes the template's own prefill", () => {
    const switchable = new JinjaTemplateChatWrapper({ template: THINKING_SWITCH_TEMPLATE });
    expect(jinjaThinkingOffPrefill(switchable)).toBe('<think></think>');
    const control = thinkingControl(switchable);
    expect(control.levels).toBeUndefined();
    expect(control.forEffort('none', 0)).toEqual({ wrapper: switchable, prefill: '<think></think>', thinking: false });
    expect(control.forEffort('low', 1024)).toEqual({ wrapper: switchable, prefill: null, thinking: true });
  });

  it('a template that marks thoughts but cannot turn them off has every level but none', () => {
    const marked = new JinjaTemplateChatWrapper({ template: THINK_TAGS_TEMPLATE });
    expect(jinjaThinkingOffPrefill(marked)).toBeNull();
    const control = thinkingControl(marked);
    expect(control.marksThoughts).toBe(true);
    expect(control.levels).toEqual(['minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
  });

  it('Harmony (gpt-oss) has low, medium and high; other levels use the nearest', () => {
    const control = thinkingControl(new HarmonyChatWrapper({ todayDate: new Date('2026-01-01') }));
    expect(control.levels).toEqual(['low', 'medium', 'high']);
    expect(render(control.forEffort('xhigh', 32_768).wrapper)).toContain('Reasoning: high');
    expect(render(control.forEffort('minimal', 512).wrapper)).toContain('Reasoning: low');
  });

  it('Seed is told its thinking budget; none is a budget of 0', () => {
    const control = thinkingControl(new SeedChatWrapper());
    expect(render(control.forEffort('none', 0).wrapper)).toContain('your thinking budget is 0');
    expect(render(control.forEffort('low', 1024).wrapper)).toContain('complete your thinking within 1024 tokens');
  });

  it('a wrapper without thoughts is used as it is at every level', () => {
    const wrapper = new ChatMLChatWrapper();
    const control = thinkingControl(wrapper);
    expect(control).toMatchObject({ marksThoughts: false, levels: undefined });
    expect(control.forEffort('xhigh', 100).wrapper).toBe(wrapper);
  });
});
