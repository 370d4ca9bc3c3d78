import type { ModelContentPart, ModelMessage, ModelToolCall } from '../backends/types.js';
import type { InputItem, MessageContentPart, StoredItem } from '../protocol/index.js';
import { invalidRequest } from '../protocol/errors.js';
import type { ReplayTarget } from './tools/types.js';

/** Decrypted reasoning of an earlier turn. */
export interface OpenedReasoning {
  text: string;
  state?: Record<string, unknown>;
}

export interface ConversionContext {
  /** Opens a reasoning item's `encrypted_content`; throws a 400 when it is not Kestrel's or was altered. */
  openReasoning(blob: string, param: string): OpenedReasoning;
  /** Backend tool name for a (namespace, name) pair. */
  backendToolName(name: string, namespace?: string | null): string;
  /** Whether the model accepts images. */
  vision: boolean;
  /** Replays an item of a hosted tool (search, MCP, computer…); false when no hosted tool takes it. */
  replayHosted?(item: InputItem | StoredItem, param: string | null, target: ReplayTarget): boolean;
}

/** A history item with the `param` path to blame when it is wrong. */
export interface LocatedItem {
  item: InputItem | StoredItem;
  /** e.g. `input[3]`; null for items loaded from the store. */
  param: string | null;
}

const TEXT_MIME = /^(text\/|application\/(json|xml|yaml|x-yaml|javascript|typescript|x-sh|toml|csv|sql|graphql|x-ndjson))/;

function decodeFile(part: Extract<MessageContentPart, { type: 'input_file' }>, param: string): ModelContentPart {
  if (part.file_id) throw invalidRequest('input_file with file_id is not supported: Kestrel has no Files API. Send the file inline as file_data.', `${param}.file_id`, 'unsupported_parameter');
  if (part.file_url) throw invalidRequest('input_file with file_url is not supported. Send the file inline as file_data.', `${param}.file_url`, 'unsupported_parameter');
  if (!part.file_data) throw invalidRequest('input_file needs file_data (a data: URL or base64) and a filename.', `${param}.file_data`, 'missing_required_parameter');
  return decodeTextFile(part.file_data, part.filename ?? 'file', `${param}.file_data`);
}

/**
 * Decodes inline file data (a `data:` URL or bare base64) that must be text; a 400 on `param`
 * for binary content such as PDFs.
 *
 * @example decodeTextFile('data:text/plain;base64,aGk=', 'a.txt', 'input[0].content[0].file_data') // { type: 'file', filename: 'a.txt', text: 'hi' }
 */
export function decodeTextFile(fileData: string, filename: string, param: string): Extract<ModelContentPart, { type: 'file' }> {
  let mime = '';
  let base64 = fileData;
  const match = /^data:([^;,]*)(;base64)?,/.exec(fileData);
  if (match) {
    mime = match[1];
    base64 = fileData.slice(match[0].length);
    if (!match[2]) return { type: 'file', filename, text: decodeURIComponent(base64) };
  }
  const bytes = Buffer.from(base64, 'base64');
  const looksText = mime ? TEXT_MIME.test(mime) : !bytes.subarray(0, 4096).includes(0);
  const text = looksText ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : '';
  if (!looksText || text.includes('\uFFFD') || bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    throw invalidRequest(`The file "${filename}" is not a text file (${mime || 'binary content'}); only text files are supported.`, param, 'unsupported_file');
  }
  return { type: 'file', filename, text };
}

/**
 * An image for the model: refused for models without vision and for URLs that are neither
 * http(s) nor `data:image/…`.
 */
export function imagePart(url: string, detail: Extract<ModelContentPart, { type: 'image' }>['detail'], vision: boolean, param: string, urlParam: string): ModelContentPart {
  if (!vision) throw invalidRequest('This model does not accept images.', param, 'unsupported_image');
  if (!/^(https?:|data:image\/)/.test(url)) throw invalidRequest('The image URL must be an http(s) URL or a data:image/… URL.', urlParam, 'invalid_image_url');
  return { type: 'image', url, detail };
}

/**
 * A system or developer message that comes after the conversation started: chat templates want
 * one system message first, so it becomes a labelled user note.
 */
export function lateSystemNote(role: 'system' | 'developer', text: string): ModelMessage {
  return { role: 'user', content: [{ type: 'text', text: `[${role} message]\n${text}` }] };
}

function userParts(content: string | MessageContentPart[], param: string, ctx: ConversionContext): ModelContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, index): ModelContentPart => {
    const where = `${param}.content[${index}]`;
    switch (part.type) {
      case 'input_text':
        return { type: 'text', text: part.text };
      case 'output_text':
        return { type: 'text', text: part.text };
      case 'refusal':
        return { type: 'text', text: part.refusal };
      case 'input_image':
        if (part.file_id) throw invalidRequest('input_image with file_id is not supported: send image_url (https or data: URL).', `${where}.file_id`, 'unsupported_parameter');
        if (!part.image_url) throw invalidRequest('input_image needs image_url.', `${where}.image_url`, 'missing_required_parameter');
        return imagePart(part.image_url, part.detail, ctx.vision, where, `${where}.image_url`);
      case 'input_file':
        return decodeFile(part, where);
    }
  });
}

function plainText(content: string | MessageContentPart[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => (part.type === 'input_text' || part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : ''))
    .join('');
}

function outputParts(output: string | { type: string; text?: string; image_url?: string | null; detail?: string }[], param: string, ctx: ConversionContext): ModelContentPart[] {
  if (typeof output === 'string') return [{ type: 'text', text: output }];
  return userParts(output as MessageContentPart[], `${param}.output`, ctx);
}

/**
 * Converts Responses items (history then new input) into the normalised model conversation:
 * system text first, consecutive tool calls grouped into one assistant turn, reasoning attached
 * to the assistant turn it preceded.
 *
 * @example toModelMessages('Be brief.', [{ item: { type: 'message', role: 'user', content: 'Hi' }, param: 'input[0]' }], ctx)
 */
export function toModelMessages(instructions: string | null | undefined, items: LocatedItem[], ctx: ConversionContext): ModelMessage[] {
  const messages: ModelMessage[] = [];
  const systemParts: string[] = instructions ? [instructions] : [];
  let pendingReasoning: OpenedReasoning | null = null;
  let sawConversation = false;

  const assistantTurn = (): Extract<ModelMessage, { role: 'assistant' }> => {
    const last = messages[messages.length - 1];
    if (last && last.role === 'assistant' && !pendingReasoning) return last;
    const turn: Extract<ModelMessage, { role: 'assistant' }> = { role: 'assistant', content: '' };
    if (pendingReasoning) {
      if (pendingReasoning.text) turn.reasoning = pendingReasoning.text;
      if (pendingReasoning.state) turn.reasoningState = pendingReasoning.state;
      pendingReasoning = null;
    }
    messages.push(turn);
    return turn;
  };

  for (const { item, param } of items) {
    const where = param ?? 'previous_response_id';
    switch (item.type) {
      case 'message': {
        if (item.role === 'system' || item.role === 'developer') {
          const text = plainText(item.content);
          // Chat templates want one system message first; later ones become user-visible notes.
          if (!sawConversation) systemParts.push(text);
          else messages.push(lateSystemNote(item.role, text));
          break;
        }
        sawConversation = true;
        if (item.role === 'assistant') {
          const turn = assistantTurn();
          const text = plainText(item.content);
          turn.content = turn.content ? `${turn.content}\n${text}` : text;
        } else {
          messages.push({ role: 'user', content: userParts(item.content, where, ctx) });
        }
        break;
      }
      case 'reasoning': {
        sawConversation = true;
        if (item.encrypted_content) pendingReasoning = ctx.openReasoning(item.encrypted_content, `${where}.encrypted_content`);
        else {
          const text = (item.content ?? []).map((part) => part.text).join('');
          pendingReasoning = text ? { text } : null;
        }
        break;
      }
      case 'function_call':
      case 'custom_tool_call': {
        sawConversation = true;
        const turn = assistantTurn();
        const call: ModelToolCall = {
          callId: item.call_id,
          name: ctx.backendToolName(item.name, item.namespace),
          arguments: item.type === 'function_call' ? item.arguments : item.input,
          kind: item.type === 'function_call' ? 'function' : 'custom',
        };
        (turn.toolCalls ??= []).push(call);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        sawConversation = true;
        messages.push({
          role: 'tool',
          callId: item.call_id,
          content: outputParts(item.output as string, where, ctx),
          kind: item.type === 'function_call_output' ? 'function' : 'custom',
        });
        break;
      }
      default:
        // Items of hosted tools (computer, MCP, search…) are replayed by their tool; others carry nothing for the model.
        if (ctx.replayHosted?.(item, param, { assistantTurn, push: (message) => messages.push(message) })) sawConversation = true;
        break;
    }
  }
  if (systemParts.length) messages.unshift({ role: 'system', content: systemParts.join('\n\n') });
  return messages;
}
