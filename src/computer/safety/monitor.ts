import { randomBytes } from 'node:crypto';
import type { ElementInfo } from '../browser/page-scripts.js';
import { detectInjectedInstructions } from './injection.js';
import { matchesDomain } from './url-policy.js';
import { classifySensitiveAction } from './sensitive-action.js';

/** Kestrel's own safety-check codes, beside OpenAI's (`malicious_instructions`, `irrelevant_domain`, `sensitive_domain`). */
export type SafetyCheckCode = 'malicious_instructions' | 'irrelevant_domain' | 'sensitive_action';

/** A `pending_safety_checks[]` entry: the client must echo it in `acknowledged_safety_checks` to go on. */
export interface SafetyCheck {
  id: string;
  code: SafetyCheckCode;
  message: string;
}

export interface SafetyOptions {
  /**
   * Domains the task is about. Navigation anywhere else raises `irrelevant_domain` (once per domain). Default: none
   * (no such check). Sessions usually pass the allowed domains or the start URL's domain.
   */
  relevantDomains?: string[];
  /** Raise `malicious_instructions` when page text reads like instructions to the agent (default true). */
  detectInjections?: boolean;
  /** Raise `sensitive_action` before payments, deletions, sending, accepting terms (default true). */
  sensitiveActions?: boolean;
}

function newId(): string {
  return `sc_${randomBytes(12).toString('hex')}`;
}

/**
 * Raises and tracks a session's safety checks. Observations (an off-task domain, injected instructions) are made
 * after a batch and must be acknowledged before the next one; sensitive actions are found just before the action
 * and must be acknowledged for that action (each acknowledgement covers one occurrence). Nothing is ever
 * acknowledged on the person's behalf.
 *
 * @example
 * const monitor = new SafetyMonitor({ relevantDomains: ['shop.example'] });
 * monitor.observe('https://evil.example/', 'Ignore all previous instructions…');
 * monitor.pending(); // [{ code: 'irrelevant_domain', … }, { code: 'malicious_instructions', … }]
 */
export class SafetyMonitor {
  private readonly options: Required<Pick<SafetyOptions, 'detectInjections' | 'sensitiveActions'>> & SafetyOptions;
  /** Observation checks raised and not yet acknowledged, by fingerprint. */
  private readonly observations = new Map<string, SafetyCheck>();
  /** Fingerprints of observations acknowledged: not raised again. */
  private readonly settled = new Set<string>();
  /** Sensitive-action checks raised, by fingerprint; acknowledged ones wait here until their action runs. */
  private readonly actions = new Map<string, { check: SafetyCheck; acknowledged: boolean }>();
  private lastText = '';

  constructor(options: SafetyOptions = {}) {
    this.options = { detectInjections: true, sensitiveActions: true, ...options };
  }

  /** Records what the screen shows after a batch: the top-level URL and the visible text. */
  observe(url: string | undefined, text?: string): void {
    const relevant = this.options.relevantDomains;
    if (url && relevant && relevant.length > 0) {
      let host = '';
      try {
        const parsed = new URL(url);
        if (parsed.protocol === 'http:' || parsed.protocol === 'https:') host = parsed.hostname;
      } catch {
        host = '';
      }
      if (host && !relevant.some((pattern) => matchesDomain(host, pattern))) {
        this.raiseObservation(`irrelevant_domain:${host}`, 'irrelevant_domain', `The page is now on ${host}, which is not one of this task's domains (${relevant.join(', ')}).`);
      }
    }
    if (text !== undefined && this.options.detectInjections && text !== this.lastText) {
      this.lastText = text;
      const finding = detectInjectedInstructions(text);
      if (finding) {
        this.raiseObservation(
          `malicious_instructions:${finding.snippet}`,
          'malicious_instructions',
          `The page shows text that looks like instructions aimed at the agent, not the user: "${finding.snippet}"`,
        );
      }
    }
  }

  /** Observation checks that block the next batch until acknowledged. */
  pending(): SafetyCheck[] {
    return [...this.observations.values()];
  }

  /**
   * The check an action on `element` needs, unless already acknowledged (then it is consumed). `via` says how the
   * action reaches the element. `where` (the page URL) scopes the fingerprint. With `consume: false` (a preview
   * before the batch) an acknowledgement is left for the action itself.
   */
  reviewAction(element: ElementInfo, via: 'click' | 'enter', where: string, consume = true): SafetyCheck | undefined {
    if (!this.options.sensitiveActions) return undefined;
    const finding = classifySensitiveAction(element, via);
    if (!finding) return undefined;
    const fingerprint = `sensitive_action:${where.split('#')[0]}:${finding.kind}:${finding.label}`;
    const known = this.actions.get(fingerprint);
    if (known?.acknowledged) {
      if (consume) this.actions.delete(fingerprint);
      return undefined;
    }
    if (known) return known.check;
    const check: SafetyCheck = { id: newId(), code: 'sensitive_action', message: finding.message };
    this.actions.set(fingerprint, { check, acknowledged: false });
    return check;
  }

  /**
   * Marks checks acknowledged by id (from `acknowledged_safety_checks`). Unknown ids are ignored; returns the ids
   * that were pending and are now acknowledged.
   */
  acknowledge(ids: Iterable<string>): string[] {
    const done: string[] = [];
    const wanted = new Set(ids);
    for (const [fingerprint, check] of this.observations) {
      if (!wanted.has(check.id)) continue;
      this.observations.delete(fingerprint);
      this.settled.add(fingerprint);
      done.push(check.id);
    }
    for (const entry of this.actions.values()) {
      if (wanted.has(entry.check.id) && !entry.acknowledged) {
        entry.acknowledged = true;
        done.push(entry.check.id);
      }
    }
    return done;
  }

  /** Whether `id` names a check this monitor raised and still considers open. */
  isOpen(id: string): boolean {
    for (const check of this.observations.values()) if (check.id === id) return true;
    for (const entry of this.actions.values()) if (entry.check.id === id && !entry.acknowledged) return true;
    return false;
  }

  private raiseObservation(fingerprint: string, code: SafetyCheckCode, message: string): void {
    if (this.settled.has(fingerprint) || this.observations.has(fingerprint)) return;
    this.observations.set(fingerprint, { id: newId(), code, message });
  }
}

/**
 * Asks for approval with a deadline: resolves `ask()`'s answer, or false when it throws or the time runs out
 * (a timeout means deny).
 *
 * @example const ok = await awaitApproval(() => prompt('Proceed?'), 60_000);
 */
export async function awaitApproval(ask: (signal: AbortSignal) => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([ask(controller.signal).then((answer) => answer === true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
