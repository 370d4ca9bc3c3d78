import { ID_PREFIX, newId } from '../../../protocol/ids.js';
import type { OutputItem } from '../../../protocol/index.js';
import type { SafetyCheck } from '../../../computer/safety/monitor.js';

/** A `pending_safety_checks[]` entry as it travels on the wire (`code`/`message` may be null). */
export interface WireSafetyCheck {
  id: string;
  code?: string | null;
  message?: string | null;
}

/**
 * A `computer_call` output item: batched `actions[]` plus the legacy single `action` (the first one).
 * `session_id` (hosted runs) is a Kestrel extension.
 *
 * @example computerCallItem({ callId: 'call_1', actions: [{ type: 'screenshot' }], checks: [] })
 */
export function computerCallItem(options: {
  callId: string;
  actions: Record<string, unknown>[];
  checks: (WireSafetyCheck | SafetyCheck)[];
  status?: 'in_progress' | 'completed';
  sessionId?: string;
}): OutputItem & { actions: Record<string, unknown>[]; status: string } {
  return {
    type: 'computer_call',
    id: newId(ID_PREFIX.computer_call),
    call_id: options.callId,
    status: options.status ?? 'completed',
    actions: options.actions,
    action: options.actions[0] ?? { type: 'screenshot' },
    pending_safety_checks: options.checks.map((check) => ({ id: check.id, code: check.code ?? null, message: check.message ?? null })),
    ...(options.sessionId ? { session_id: options.sessionId } : {}),
  };
}

/**
 * A `computer_call_output` output item of a hosted run: the screenshot after the batch. `current_url`,
 * `session_id` and `notes` are Kestrel extensions.
 */
export function computerOutputItem(options: { callId: string; imageUrl: string; currentUrl?: string; sessionId: string; notes?: string[] }): OutputItem {
  return {
    type: 'computer_call_output',
    id: newId(ID_PREFIX.computer_call_output),
    call_id: options.callId,
    status: 'completed',
    output: { type: 'computer_screenshot', image_url: options.imageUrl },
    acknowledged_safety_checks: [],
    ...(options.currentUrl ? { current_url: options.currentUrl } : {}),
    session_id: options.sessionId,
    ...(options.notes?.length ? { notes: options.notes } : {}),
  };
}
