import type { Script, ScriptedTurn } from '../../src/backends/scripted/index.js';
import type { ModelContentPart, ModelMessage, ModelRequest } from '../../src/backends/types.js';

/** A scripted model fed turn by turn: each test queues exactly the turns it expects to be asked for. */
export interface ScriptQueue {
  script: Script;
  push(...turns: ScriptedTurn[]): void;
  /** Turns queued but never requested (a test leaving some behind asked the model less than it thought). */
  pending(): number;
}

/**
 * Creates a queue-backed script. An unexpected extra model call fails loudly with a 500 instead of
 * inventing an answer.
 *
 * @example const queue = scriptQueue(); queue.push({ text: 'Hi' }); startTestServer({ script: queue.script });
 */
export function scriptQueue(): ScriptQueue {
  const turns: ScriptedTurn[] = [];
  return {
    script: () => turns.shift() ?? { error: { status: 500, message: 'test script exhausted: the model was called more often than the test expected' } },
    push: (...more) => void turns.push(...more),
    pending: () => turns.length,
  };
}

/** The plain text of a model message (text parts joined). */
export function messageText(message: ModelMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part: ModelContentPart) => (part.type === 'text' ? part.text : part.type === 'file' ? part.text : '')).join('');
}

/** A compact `role: text` transcript of a model request, for assertions and failure messages. */
export function transcript(request: ModelRequest): string[] {
  return request.messages.map((message) => {
    if (message.role === 'assistant') {
      const calls = (message.toolCalls ?? []).map((call) => `${call.kind}:${call.name}(${call.arguments})#${call.callId}`).join(' ');
      return `assistant: ${message.content}${calls ? ` [${calls}]` : ''}`;
    }
    if (message.role === 'tool') return `tool#${message.callId}: ${messageText(message)}`;
    return `${message.role}: ${messageText(message)}`;
  });
}
