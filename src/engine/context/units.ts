import type { InputItem, StoredItem } from '../../protocol/index.js';

/** A run of items that is kept or dropped as a whole: a tool call is never split from its output. */
export interface Unit {
  /** Index of the first item. */
  start: number;
  /** Index after the last item. */
  end: number;
  /** Leading system/developer messages: they join the instructions and are never dropped. */
  pinned: boolean;
  /** Whether the unit opens with a user message (a turn boundary). */
  userTurn: boolean;
}

type Item = InputItem | StoredItem;

/** The call id an item answers, when it is a tool output (`function_call_output`, `computer_call_output`…). */
export function outputCallId(item: Item): string | null {
  const callId = (item as { call_id?: unknown }).call_id;
  return typeof callId === 'string' && item.type.endsWith('_output') ? callId : null;
}

/** The call id an item opens, when it is a tool call (`function_call`, `custom_tool_call`, `shell_call`…). */
export function callId(item: Item): string | null {
  const id = (item as { call_id?: unknown }).call_id;
  return typeof id === 'string' && item.type.endsWith('_call') ? id : null;
}

function isSystem(item: Item): boolean {
  return item.type === 'message' && (item.role === 'system' || item.role === 'developer');
}

/**
 * Groups items into units, oldest first. A unit stays open while it holds calls without their
 * output (until a new user message abandons them), and reasoning joins the item it precedes.
 * Leading system/developer messages form one pinned unit.
 *
 * @example groupUnits([user, call, output, assistant]) // [{0..1}, {1..3}, {3..4}]
 */
export function groupUnits(items: readonly Item[]): Unit[] {
  const units: Unit[] = [];
  let index = 0;
  while (index < items.length && isSystem(items[index])) index++;
  if (index > 0) units.push({ start: 0, end: index, pinned: true, userTurn: false });
  let current: Unit | null = null;
  const pending = new Set<string>();
  for (; index < items.length; index++) {
    const item = items[index];
    const isUser = item.type === 'message' && item.role === 'user';
    if (isUser) pending.clear();
    const previous = index > 0 ? items[index - 1] : null;
    const joinsCurrent = current !== null && (pending.size > 0 || previous?.type === 'reasoning');
    if (!joinsCurrent) {
      current = { start: index, end: index, pinned: false, userTurn: isUser };
      units.push(current);
    }
    current!.end = index + 1;
    const opened = callId(item);
    if (opened) pending.add(opened);
    const answered = outputCallId(item);
    if (answered) pending.delete(answered);
  }
  return units;
}
