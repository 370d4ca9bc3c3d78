import type { ModelContentPart } from '../../../backends/types.js';
import type { Size } from '../../../computer/types.js';
import { invalidRequest } from '../../../protocol/errors.js';
import type { InputItem, StoredItem } from '../../../protocol/index.js';
import type { ReplayTarget } from '../types.js';
import { imageDimensions } from '../../context/image-tokens.js';
import type { WireSafetyCheck } from './items.js';

type AnyItem = (InputItem | StoredItem) & Record<string, unknown>;

export interface CallRecord {
  item: AnyItem;
  param: string | null;
  actions: Record<string, unknown>[];
  checks: WireSafetyCheck[];
  sessionId?: string;
}

export interface OutputRecord {
  item: AnyItem;
  param: string | null;
  imageUrl?: string;
  acknowledged: string[];
}

/** The computer items of a request (history and input), by call id. */
export interface ComputerHistory {
  calls: Map<string, CallRecord>;
  outputs: Map<string, OutputRecord>;
  /** Size of the latest screenshot the client sent (client-executed), when one could be read. */
  lastScreenshot?: Size;
  /** The call an input `computer_call_output` without a screenshot acknowledges (a paused hosted batch). */
  acknowledgement?: { callId: string; acknowledged: string[]; sessionId?: string };
}

function actionsOf(item: AnyItem): Record<string, unknown>[] {
  if (Array.isArray(item.actions) && item.actions.length) return item.actions as Record<string, unknown>[];
  return item.action && typeof item.action === 'object' ? [item.action as Record<string, unknown>] : [];
}

/**
 * Reads the `computer_call` and `computer_call_output` items of a request and refuses an output that leaves a
 * safety check of its call unacknowledged (as OpenAI does: a 400 naming the check ids).
 *
 * @example const history = readComputerHistory(ctx.items);
 */
export function readComputerHistory(items: { item: InputItem | StoredItem; param: string | null }[], input?: unknown): ComputerHistory {
  const history: ComputerHistory = { calls: new Map(), outputs: new Map() };
  // A client usually sends its first screenshot with the task: its size is the model's coordinate space.
  if (Array.isArray(input)) {
    for (const entry of input as { content?: unknown }[]) {
      if (!Array.isArray(entry?.content)) continue;
      for (const part of entry.content as { type?: unknown; image_url?: unknown }[]) {
        if (part?.type === 'input_image' && typeof part.image_url === 'string') history.lastScreenshot = imageDimensions(part.image_url) ?? history.lastScreenshot;
      }
    }
  }
  for (const { item: raw, param } of items) {
    const item = raw as AnyItem;
    const callId = typeof item.call_id === 'string' ? item.call_id : undefined;
    if (!callId) continue;
    if (item.type === 'computer_call') {
      const checks = Array.isArray(item.pending_safety_checks) ? (item.pending_safety_checks as WireSafetyCheck[]).filter((check) => typeof check?.id === 'string') : [];
      history.calls.set(callId, { item, param, actions: actionsOf(item), checks, sessionId: typeof item.session_id === 'string' ? item.session_id : undefined });
      continue;
    }
    if (item.type !== 'computer_call_output') continue;
    const output = item.output as { type?: string; image_url?: unknown; file_id?: unknown } | null | undefined;
    const acknowledged = Array.isArray(item.acknowledged_safety_checks)
      ? (item.acknowledged_safety_checks as { id?: unknown }[]).flatMap((check) => (typeof check?.id === 'string' ? [check.id] : []))
      : [];
    if (param !== null) {
      if (output && output.type !== undefined && output.type !== 'computer_screenshot') {
        throw invalidRequest(`${param}.output.type must be "computer_screenshot".`, `${param}.output.type`, 'invalid_value');
      }
      if (output && output.image_url === undefined && output.file_id !== undefined) {
        throw invalidRequest('Screenshots by file_id are not supported by Kestrel; send output.image_url (a data: or https: URL).', `${param}.output.file_id`, 'unsupported_parameter');
      }
      if (output && output.image_url !== undefined && (typeof output.image_url !== 'string' || !/^(data:image\/|https?:\/\/)/.test(output.image_url))) {
        throw invalidRequest(`${param}.output.image_url must be a data:image/… or http(s) URL.`, `${param}.output.image_url`, 'invalid_value');
      }
      const call = history.calls.get(callId);
      const missing = (call?.checks ?? []).filter((check) => !acknowledged.includes(check.id));
      if (missing.length) {
        throw invalidRequest(
          `Computer tool has unacknowledged safety check for [${missing.map((check) => `'${check.id}'`).join(', ')}]. Echo them in acknowledged_safety_checks to proceed.`,
          `${param}.acknowledged_safety_checks`,
          'unacknowledged_safety_check',
        );
      }
    }
    const imageUrl = typeof output?.image_url === 'string' ? output.image_url : undefined;
    history.outputs.set(callId, { item, param, imageUrl, acknowledged });
    if (imageUrl && param !== null) history.lastScreenshot = imageDimensions(imageUrl) ?? history.lastScreenshot;
    if (!imageUrl && param !== null) history.acknowledgement = { callId, acknowledged, sessionId: history.calls.get(callId)?.sessionId };
  }
  return history;
}

/** The model-visible content of a stored screenshot result. */
export function outputContent(record: OutputRecord, options: { vision: boolean }): ModelContentPart[] {
  const item = record.item;
  const parts: ModelContentPart[] = [];
  const notes = [
    typeof item.current_url === 'string' ? `URL: ${item.current_url}` : '',
    ...(Array.isArray(item.notes) ? (item.notes as unknown[]).filter((note): note is string => typeof note === 'string') : []),
  ].filter(Boolean);
  if (notes.length) parts.push({ type: 'text', text: notes.join('\n') });
  if (typeof item.snapshot === 'string' && (!options.vision || !record.imageUrl)) parts.push({ type: 'text', text: item.snapshot });
  else if (record.imageUrl && options.vision) parts.push({ type: 'image', url: record.imageUrl, detail: 'original' });
  else if (!parts.length) parts.push({ type: 'text', text: '[screenshot not shown]' });
  return parts;
}

/**
 * Replays one computer item into model messages: a `computer_call` becomes the assistant's call of the computer
 * function (`toModel` maps its actions back to the model's coordinates) followed, when the call never got a
 * result, by a note saying it was not run; a `computer_call_output` becomes the function's result.
 */
export function replayComputerItem(
  item: InputItem | StoredItem,
  target: ReplayTarget,
  options: {
    toolName: string;
    history: ComputerHistory;
    vision: boolean;
    toModel: (actions: Record<string, unknown>[]) => Record<string, unknown>[];
    /** A call whose result comes later in this response (a paused batch being resumed). */
    resumingCallId?: string;
  },
): void {
  const raw = item as AnyItem;
  const callId = typeof raw.call_id === 'string' ? raw.call_id : undefined;
  if (!callId) return;
  if (raw.type === 'computer_call') {
    const record = options.history.calls.get(callId);
    const turn = target.assistantTurn();
    turn.toolCalls = [...(turn.toolCalls ?? []), { callId, name: options.toolName, arguments: JSON.stringify({ actions: options.toModel(record?.actions ?? []) }), kind: 'function' }];
    const answered = options.history.outputs.get(callId);
    if (callId !== options.resumingCallId && !answered?.imageUrl && typeof answered?.item.snapshot !== 'string') {
      target.push({ role: 'tool', callId, kind: 'function', content: [{ type: 'text', text: 'Not run: the user did not acknowledge the safety checks of this call, or gave no result for it.' }] });
    }
    return;
  }
  if (raw.type === 'computer_call_output') {
    const record = options.history.outputs.get(callId);
    if (!record?.imageUrl && !(typeof raw.snapshot === 'string')) return;
    target.push({ role: 'tool', callId, kind: 'function', content: outputContent(record ?? { item: raw, param: null, acknowledged: [] }, { vision: options.vision }) });
  }
}
