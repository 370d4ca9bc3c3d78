import type { ElementInfo } from '../browser/page-scripts.js';

export type SensitiveKind = 'payment' | 'deletion' | 'sending' | 'terms';

export interface SensitiveFinding {
  kind: SensitiveKind;
  /** What the element is called, for the message. */
  label: string;
  message: string;
}

const PAYMENT = /\b(pay|pay now|buy|buy now|purchase|place (your |my )?order|check ?out|complete (the |your |my )?(order|purchase|payment|booking)|confirm (the |your )?(order|purchase|payment|booking)|subscribe|donate|book now|add payment)\b/i;
const DELETION = /\b(delete|remove|erase|destroy|discard|wipe|deactivate|close (my |your |the )?account|cancel (my |your |the )?(subscription|account|membership|order)|unsubscribe|empty (the )?trash)\b/i;
const SENDING = /\b(send|post|publish|transfer|wire|tweet|reply all|submit (application|payment|order|claim|request))\b/i;
const TERMS = /\b(i (agree|accept|consent)|accept( all)?( the)? (terms|conditions|cookies|agreement|policy)|agree (to|and continue)|accept and continue|terms of (service|use)|terms and conditions)\b/i;

const MESSAGES: Record<SensitiveKind, string> = {
  payment: 'looks like it submits a payment or an order',
  deletion: 'looks like it deletes something',
  sending: 'looks like it sends or publishes something',
  terms: 'looks like it accepts terms or an agreement',
};

function finding(kind: SensitiveKind, label: string): SensitiveFinding {
  return { kind, label, message: `About to activate "${label}", which ${MESSAGES[kind]}. Confirm before continuing.` };
}

/**
 * Judges whether acting on an element is hard to undo: submitting a payment, deleting, sending, accepting terms.
 * `via` is how the action reaches it: a click, or Enter pressed in a field (which submits its form).
 *
 * @example
 * classifySensitiveAction({ ...info, role: 'button', name: 'Pay now' }, 'click') // { kind: 'payment', … }
 */
export function classifySensitiveAction(element: ElementInfo, via: 'click' | 'enter'): SensitiveFinding | undefined {
  const label = (element.name || element.text || element.value || '').slice(0, 80);
  if (via === 'enter') {
    if (!element.form || element.tag === 'textarea') return undefined;
    if (element.form.hasCardField) return finding('payment', label || 'the payment form');
    return undefined;
  }
  const clickable = ['button', 'link', 'menuitem', 'checkbox', 'switch', 'option', 'tab'].includes(element.role) || element.tag === 'a' || element.tag === 'button' || element.tag === 'label';
  if (!clickable || element.editable && element.role === 'textbox') return undefined;
  if (element.role === 'checkbox' || element.role === 'switch' || element.tag === 'label') {
    return TERMS.test(label) ? finding('terms', label) : undefined;
  }
  const submits = element.tag === 'button' || (element.tag === 'input' && ['submit', 'image'].includes(element.inputType));
  if (PAYMENT.test(label) || (submits && element.form?.hasCardField)) return finding('payment', label || 'submit');
  if (DELETION.test(label)) return finding('deletion', label);
  if (SENDING.test(label)) return finding('sending', label);
  if (TERMS.test(label)) return finding('terms', label);
  return undefined;
}
