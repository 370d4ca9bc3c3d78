import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_CHAT_TEMPLATE, writeTinyGguf, type TinyGgufOptions } from './tiny-gguf.js';

/** The fixture template with tool calls written `<tool_call>{"name": …}</tool_call>` (no line breaks), so a scripted model can write the prefix. */
export const COMPACT_TOOL_CALL_TEMPLATE = TINY_CHAT_TEMPLATE.replace(`'\\n<tool_call>\\n{"name": "'`, `'<tool_call>{"name": "'`).replace(`'}\\n</tool_call>'`, `'}</tool_call>'`);

/** The fixture template mentioning `<think>` (as reasoning models' templates do): node-llama-cpp then reads thought segments. */
export const THINK_TAGS_TEMPLATE = `${TINY_CHAT_TEMPLATE}{#- earlier reasoning is shown in <think></think> -#}`;

/**
 * The fixture template with Qwen3's thinking switch: earlier turns show their reasoning as
 * `<think>…</think>`, and `enable_thinking: false` starts the turn with an empty, closed thought
 * (written without Qwen3's line breaks, so that a scripted model can write the same markers).
 */
export const THINKING_SWITCH_TEMPLATE = TINY_CHAT_TEMPLATE.replace(
  `{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}`,
  `{%- if message.role == "assistant" and message.reasoning_content %}
            {{- '<|im_start|>assistant\\n<think>' + message.reasoning_content + '</think>' + message.content + '<|im_end|>\\n' }}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
        {%- endif %}`,
).replace(
  `{{- '<|im_start|>assistant\\n' }}
{%- endif %}`,
  `{{- '<|im_start|>assistant\\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think></think>' }}
    {%- endif %}
{%- endif %}`,
);

export interface ModelsDir {
  dir: string;
  path(name: string): string;
  remove(): void;
}

/**
 * A temporary folder of generated GGUF files, one per entry (`name` → `name.gguf`).
 *
 * @example const models = makeModelsDir({ tiny: {} }); … models.remove();
 */
export function makeModelsDir(models: Record<string, TinyGgufOptions>): ModelsDir {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-gguf-'));
  for (const [name, options] of Object.entries(models)) writeTinyGguf(join(dir, `${name}.gguf`), options);
  return {
    dir,
    path: (name) => join(dir, `${name}.gguf`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
