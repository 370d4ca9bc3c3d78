import { randomBytes } from 'node:crypto';

/** Prefixes used by OpenAI for each object and item type. */
export const ID_PREFIX = {
  response: 'resp',
  message: 'msg',
  reasoning: 'rs',
  function_call: 'fc',
  function_call_output: 'fco',
  custom_tool_call: 'ctc',
  custom_tool_call_output: 'ctco',
  computer_call: 'cu',
  computer_call_output: 'cuo',
  compaction: 'cmp',
  conversation: 'conv',
  call: 'call',
  chat_completion: 'chatcmpl',
  item: 'item',
} as const;

// Random part: 24 bytes hex = 48 chars, close to OpenAI's id lengths and collision-free in practice.
/**
 * A new id with OpenAI's prefix convention.
 *
 * @example newId('resp') // 'resp_3f9c…'
 */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

/** The id prefix for an item type (`msg` for `message`, …), `item` when none is known. */
export function itemIdPrefix(type: string): string {
  return (ID_PREFIX as Record<string, string>)[type] ?? ID_PREFIX.item;
}
