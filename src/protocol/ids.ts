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

// Random bytes are drawn 4 KiB at a time: one getrandom call serves ~240 ids on the hot path.
const POOL_SIZE = 4096;
const RANDOM_BYTES = 17;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;
let lastSecond = 0;
let counter = 0;

/**
 * A new id with OpenAI's prefix convention and 48 hex characters: like OpenAI's, the first 8 are
 * the Unix time in seconds, then a 6-hex counter within that second and 17 random bytes (collision-free in practice).
 * Ids made later sort later (within a second, in order, up to 16 Mi per second): the store's id
 * indexes then grow at their right edge, so concurrent inserts share pages instead of each
 * dirtying a random one (this halved the SQLite cost of storing a response).
 *
 * @example newId('resp') // 'resp_6925c3f1000a3f9c…'
 */
export function newId(prefix: string): string {
  if (offset + RANDOM_BYTES > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    counter = 0;
  }
  const order = (counter++ & 0xffffff).toString(16).padStart(6, '0');
  const random = pool.toString('hex', offset, offset + RANDOM_BYTES);
  offset += RANDOM_BYTES;
  return `${prefix}_${second.toString(16).padStart(8, '0')}${order}${random}`;
}

/** The id prefix for an item type (`msg` for `message`, …), `item` when none is known. */
export function itemIdPrefix(type: string): string {
  return (ID_PREFIX as Record<string, string>)[type] ?? ID_PREFIX.item;
}
