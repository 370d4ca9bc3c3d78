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
  tool_search_call: 'ts',
  tool_search_output: 'tso',
  mcp_list_tools: 'mcpl',
  mcp_call: 'mcp',
  mcp_approval_request: 'mcpr',
  mcp_approval_response: 'mcpa',
  conversation: 'conv',
  call: 'call',
  chat_completion: 'chatcmpl',
  item: 'item',
} as const;

// Random bytes are drawn 4 KiB at a time: one getrandom call serves ~170 ids on the hot path.
const POOL_SIZE = 4096;
const ID_BYTES = 24;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

/**
 * A new id with OpenAI's prefix convention and 24 random bytes (48 hex characters, close to
 * OpenAI's id lengths and collision-free in practice).
 *
 * @example newId('resp') // 'resp_3f9c…'
 */
export function newId(prefix: string): string {
  if (offset + ID_BYTES > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `${prefix}_${hex}`;
}

/** The id prefix for an item type (`msg` for `message`, …), `item` when none is known. */
export function itemIdPrefix(type: string): string {
  return (ID_PREFIX as Record<string, string>)[type] ?? ID_PREFIX.item;
}
