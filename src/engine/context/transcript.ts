import type { ModelContentPart, ModelMessage } from '../../backends/types.js';

function partsText(parts: ModelContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : part.type === 'file' ? `[file ${part.filename}]\n${part.text}` : '[image]')).join('\n');
}

/**
 * Plain text of a conversation, one block per message, for summaries and recall excerpts.
 * Earlier reasoning is left out: it is long, and the answers and tool calls it led to carry its outcome.
 * Without `labels` the role prefixes are left out (for search queries: they would match everything).
 *
 * @example renderTranscript([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]) // 'User: Hi'
 */
export function renderTranscript(messages: readonly ModelMessage[], options: { labels?: boolean } = {}): string {
  const labels = options.labels ?? true;
  const label = (text: string) => (labels ? `${text}: ` : '');
  const blocks: string[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        blocks.push(`${label('System')}${message.content}`);
        break;
      case 'user':
        blocks.push(`${label('User')}${partsText(message.content)}`);
        break;
      case 'assistant':
        if (message.content) blocks.push(`${label('Assistant')}${message.content}`);
        for (const call of message.toolCalls ?? []) blocks.push(`${label(`Assistant called ${call.name}`)}${call.arguments}`);
        break;
      case 'tool':
        blocks.push(`${label(`Tool result${message.name ? ` (${message.name})` : ''}`)}${partsText(message.content)}`);
        break;
    }
  }
  return blocks.join('\n\n');
}
