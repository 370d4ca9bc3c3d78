/**
 * Code that runs inside pages. Kept as source text, not TypeScript functions: runners such as tsx wrap compiled
 * functions in helpers (`__name(...)`) that do not exist in the page, and `Function#toString` would ship them.
 * `pageFunction` turns a source into a real function whose text is exactly that source.
 */

/** A function Playwright can serialise into the page; its source text is exactly what it was built from. */
export type PageFunction<Arg, Result> = (arg: Arg) => Result;

/**
 * Builds a function from page-script source.
 *
 * @example const readTitle = pageFunction<void, string>('() => document.title');
 */
export function pageFunction<Arg, Result>(source: string): PageFunction<Arg, Result> {
  return new Function(`return (${source});`)() as PageFunction<Arg, Result>;
}

/** A function run on an element handle: `(element, arg) => result`. */
export type ElementFunction<Arg, Result> = (element: Element, arg: Arg) => Result;

/** Builds an element function from page-script source (see `pageFunction`). */
export function elementFunction<Arg, Result>(source: string): ElementFunction<Arg, Result> {
  return new Function(`return (${source});`)() as ElementFunction<Arg, Result>;
}

/**
 * Installed in every frame before page scripts run. Counts DOM mutations (shadow roots included) and scrolls, and
 * tracks short timers the page sets, so a settle can tell "quiet" from "about to change" without sleeping.
 */
export const MONITOR_SCRIPT = `(() => {
  if (window.__kestrel) return;
  const nativeSetTimeout = window.setTimeout;
  const nativeClearTimeout = window.clearTimeout;
  const state = { changes: 0, scrolls: 0, lastScrollAt: -1e9, timers: new Map(), setTimeout: nativeSetTimeout, clearTimeout: nativeClearTimeout };
  Object.defineProperty(window, '__kestrel', { value: state, enumerable: false, configurable: false });
  let top = null;
  try { if (window.top !== window && window.top.__kestrel) top = window.top.__kestrel; } catch (e) { top = null; }
  const bump = () => { state.changes++; if (top) top.changes++; };
  const observer = new MutationObserver(bump);
  const options = { subtree: true, childList: true, attributes: true, characterData: true };
  const observe = (root) => { try { observer.observe(root, options); } catch (e) {} };
  observe(document);
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { const root = attachShadow.call(this, init); observe(root); return root; };
  addEventListener('scroll', () => { state.scrolls++; state.lastScrollAt = Date.now(); bump(); }, { capture: true, passive: true });
  window.setTimeout = function (handler, delay, ...rest) {
    const ms = Number(delay) || 0;
    if (typeof handler !== 'function' || ms > 2000) return nativeSetTimeout.call(window, handler, delay, ...rest);
    const now = Date.now();
    const id = nativeSetTimeout.call(window, function () { state.timers.delete(id); return handler.apply(this, arguments); }, delay, ...rest);
    state.timers.set(id, { at: now, due: now + ms });
    return id;
  };
  window.clearTimeout = function (id) { state.timers.delete(id); return nativeClearTimeout.call(window, id); };
})();`;

/** Reads the change counter (−1 when the monitor is missing). */
export const READ_CHANGES = pageFunction<void, number>(`() => (window.__kestrel ? window.__kestrel.changes : -1)`);

export interface SettleArgs {
  /** Date.now() when the batch began: only timers set from then on are waited for. */
  since: number;
  /** Date.now() when the batch ended. */
  until: number;
  capMs: number;
  /** Quiet animation frames required (0: return at once when nothing is pending). */
  frames: number;
}

export interface SettleResult {
  changes: number;
  quiet: boolean;
}

/**
 * Waits in the page until the timers the batch scheduled have fired, finite animations have ended and `frames`
 * animation frames passed without a DOM change, or `capMs` elapsed.
 */
export const SETTLE_IN_PAGE = pageFunction<SettleArgs, Promise<SettleResult>>(`async ({ since, until, capMs, frames }) => {
  const state = window.__kestrel;
  if (!state) return { changes: -1, quiet: true };
  const deadline = performance.now() + capMs;
  const pending = () => {
    const now = Date.now();
    let count = 0;
    for (const timer of state.timers.values()) {
      if (timer.at >= since && timer.at <= until && timer.due <= now + capMs && now <= timer.due + 250) count++;
    }
    try {
      for (const animation of document.getAnimations()) {
        if (animation.playState !== 'running' || !animation.effect) continue;
        const end = animation.effect.getComputedTiming().endTime;
        if (typeof end === 'number' && Number.isFinite(end)) count++;
      }
    } catch (e) {}
    return count;
  };
  const frame = () => new Promise((resolve) => {
    const fallback = state.setTimeout.call(window, resolve, 100);
    requestAnimationFrame(() => { state.clearTimeout.call(window, fallback); resolve(); });
  });
  let last = state.changes;
  let quietFrames = 0;
  if (frames === 0 && pending() === 0) return { changes: last, quiet: true };
  for (;;) {
    await frame();
    const now = state.changes;
    quietFrames = now === last && pending() === 0 ? quietFrames + 1 : 0;
    last = now;
    if (quietFrames >= Math.max(1, frames)) return { changes: now, quiet: true };
    if (performance.now() > deadline) return { changes: now, quiet: false };
  }
}`);

/** After a wheel event sent at `since` (Date.now()): resolves once the page scrolled, or after three frames without. */
export const AWAIT_SCROLL = pageFunction<number, Promise<boolean>>(`(since) => new Promise((resolve) => {
  const state = window.__kestrel;
  if (!state) return resolve(false);
  let frames = 0;
  const tick = () => {
    if (state.lastScrollAt >= since) return resolve(true);
    if (++frames > 3) return resolve(false);
    requestAnimationFrame(tick);
  };
  tick();
})`);

/** CSS selector of fields whose content must never appear in logged screenshots. */
export const SECRET_FIELDS =
  'input[type=password], [autocomplete~="current-password"], [autocomplete~="new-password"], [autocomplete^="cc-"], ' +
  '[autocomplete~="one-time-code"], input[name*="cvv" i], input[name*="cvc" i], input[name*="card" i][name*="number" i]';

/** Whether the document (open shadow roots included) has a secret field. */
export const HAS_SECRET_FIELDS = pageFunction<string, boolean>(`(selector) => {
  const visit = (root) => {
    if (root.querySelector(selector)) return true;
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot && visit(element.shadowRoot)) return true;
    return false;
  };
  return visit(document);
}`);

const ELEMENT_AT_POINT_SOURCE = `({ x, y }) => {
  let element = document.elementFromPoint(x, y);
  while (element && element.shadowRoot) {
    const inner = element.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === element) break;
    element = inner;
  }
  return element;
}`;

/** The deepest element at a viewport point, through open shadow roots (not into iframes). */
export const ELEMENT_AT_POINT = pageFunction<{ x: number; y: number }, Element | null>(ELEMENT_AT_POINT_SOURCE);

/** The focused element, through shadow roots (not into iframes). */
export const ACTIVE_ELEMENT = pageFunction<void, Element | null>(`() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  return element;
}`);

/** What Kestrel knows about an element: enough to judge an action on it and to find it again. */
export interface ElementInfo {
  tag: string;
  role: string;
  name: string;
  text: string;
  inputType: string;
  value: string;
  href: string;
  secret: boolean;
  editable: boolean;
  isFrame: boolean;
  box: { x: number; y: number; width: number; height: number };
  /** Offset of an iframe's content from its box (border + padding). */
  frameInset: { x: number; y: number };
  form: { text: string; action: string; hasCardField: boolean; hasPassword: boolean } | null;
  /** Playwright selectors, most robust first; the caller keeps the first that matches exactly one element. */
  selectors: string[];
}

/**
 * Describes an element (climbing to the nearest actionable ancestor first) and proposes selectors for it.
 * Runs as `elementHandle.evaluate(DESCRIBE_ELEMENT, { secret: SECRET_FIELDS, selectors: true })`.
 */
const DESCRIBE_ELEMENT_SOURCE = `(element, { secret: secretSelector, selectors: wantSelectors }) => {
  const ACTIONABLE = 'a[href], button, input, select, textarea, label, summary, option, [role=button], [role=link], [role=checkbox], [role=radio], [role=tab], [role=menuitem], [role=option], [role=switch], [role=combobox], [role=textbox], [contenteditable=""], [contenteditable=true], [onclick], [draggable=true], iframe, frame';
  const parentOf = (node) => node.parentElement || (node.getRootNode() instanceof ShadowRoot ? node.getRootNode().host : null);
  let target = element;
  for (let node = element, depth = 0; node && depth < 8; node = parentOf(node), depth++) {
    if (node.matches && node.matches(ACTIONABLE)) { target = node; break; }
  }
  const el = target;
  const tag = el.tagName.toLowerCase();
  const clean = (text, max) => (text || '').replace(/\\s+/g, ' ').trim().slice(0, max);
  const inputType = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : '';
  const implicitRole = () => {
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    if (tag === 'button' || tag === 'summary') return 'button';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'option') return 'option';
    if (tag === 'img') return 'img';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'input') {
      if (['button', 'submit', 'reset', 'image'].includes(inputType)) return 'button';
      if (inputType === 'checkbox') return 'checkbox';
      if (inputType === 'radio') return 'radio';
      if (inputType === 'range') return 'slider';
      if (inputType === 'search') return 'searchbox';
      if (['text', 'email', 'tel', 'url', 'password', ''].includes(inputType)) return 'textbox';
      if (inputType === 'number') return 'spinbutton';
    }
    return '';
  };
  const role = (el.getAttribute('role') || implicitRole()).split(' ')[0];
  const root = el.getRootNode();
  const byId = (id) => (root.getElementById ? root.getElementById(id) : document.getElementById(id));
  const labelText = () => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return labelledBy.split(/\\s+/).map((id) => clean(byId(id) && byId(id).textContent, 200)).join(' ');
    const aria = el.getAttribute('aria-label');
    if (aria) return aria;
    if (el.labels && el.labels.length) return Array.from(el.labels).map((label) => clean(label.textContent, 200)).join(' ');
    if (tag === 'input' && ['button', 'submit', 'reset'].includes(inputType)) return el.value || (inputType === 'submit' ? 'Submit' : '');
    if (tag === 'img') return el.getAttribute('alt') || '';
    if (['textbox', 'searchbox', 'combobox', 'spinbutton'].includes(role)) return el.getAttribute('title') || el.getAttribute('placeholder') || '';
    return clean(el.innerText || el.textContent, 200);
  };
  const name = clean(labelText(), 200);
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const px = (value) => parseFloat(value) || 0;
  const form = el.form || el.closest('form');
  const deepAll = (selector) => {
    const found = [];
    const visit = (scope) => {
      for (const match of scope.querySelectorAll(selector)) found.push(match);
      for (const node of scope.querySelectorAll('*')) if (node.shadowRoot) visit(node.shadowRoot);
    };
    visit(document);
    return found;
  };
  const unique = (selector) => { try { return deepAll(selector).length === 1; } catch (e) { return false; } };
  const quote = (text) => JSON.stringify(text);
  const text = clean(el.innerText || el.textContent, 200);
  const selectors = [];
  // Selectors cost whole-document queries: only recordings ask for them.
  if (wantSelectors) {
    for (const attribute of ['data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy']) {
      const value = el.getAttribute(attribute);
      if (value && unique('[' + attribute + '=' + quote(value) + ']')) selectors.push('[' + attribute + '=' + quote(value) + ']');
    }
    if (el.id && !/\\d{3,}|^[0-9]|[:]/.test(el.id) && unique('#' + CSS.escape(el.id))) selectors.push('#' + CSS.escape(el.id));
    if (role && name && name.length <= 80) selectors.push('internal:role=' + role + '[name=' + quote(name) + 's]');
    const nameAttribute = el.getAttribute('name');
    if (nameAttribute && ['input', 'select', 'textarea', 'button'].includes(tag)) {
      const selector = tag + '[name=' + quote(nameAttribute) + ']' + (inputType === 'radio' || inputType === 'checkbox' ? '[value=' + quote(el.value) + ']' : '');
      if (unique(selector)) selectors.push(selector);
    }
    const placeholder = el.getAttribute('placeholder');
    if (placeholder) selectors.push('internal:attr=[placeholder=' + quote(placeholder) + 's]');
    if (text && text.length <= 60 && !['input', 'textarea', 'select'].includes(tag)) selectors.push('internal:text=' + quote(text) + 's');
    const path = (node) => {
      const parts = [];
      while (node && node.nodeType === 1) {
        const parent = node.parentElement;
        if (node.id && !/\\d{3,}|^[0-9]|[:]/.test(node.id) && node.getRootNode().getElementById && node.getRootNode().getElementById(node.id) === node) {
          parts.unshift('#' + CSS.escape(node.id));
          break;
        }
        const tagName = node.tagName.toLowerCase();
        const siblings = parent ? Array.from(parent.children).filter((sibling) => sibling.tagName === node.tagName) : [];
        parts.unshift(siblings.length > 1 ? tagName + ':nth-of-type(' + (siblings.indexOf(node) + 1) + ')' : tagName);
        if (!parent) {
          const scope = node.getRootNode();
          if (scope instanceof ShadowRoot) return path(scope.host) + ' ' + parts.join(' > ');
          break;
        }
        node = parent;
      }
      return parts.join(' > ');
    };
    selectors.push('css=' + path(el));
  }
  return {
    tag,
    role,
    name,
    text,
    inputType,
    value: typeof el.value === 'string' && !el.matches(secretSelector) ? el.value.slice(0, 200) : '',
    href: el.href ? String(el.href) : '',
    secret: el.matches(secretSelector),
    editable: el.isContentEditable || ['input', 'textarea', 'select'].includes(tag),
    isFrame: tag === 'iframe' || tag === 'frame',
    box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
    frameInset: { x: px(style.borderLeftWidth) + px(style.paddingLeft), y: px(style.borderTopWidth) + px(style.paddingTop) },
    form: form
      ? {
          text: clean(form.innerText, 400),
          action: form.getAttribute('action') || '',
          hasCardField: !!form.querySelector('[autocomplete^="cc-"], input[name*="card" i], input[name*="cvv" i], input[name*="cvc" i]'),
          hasPassword: !!form.querySelector('input[type=password]'),
        }
      : null,
    selectors,
  };
}`;

export const DESCRIBE_ELEMENT = elementFunction<{ secret: string; selectors: boolean }, ElementInfo>(DESCRIBE_ELEMENT_SOURCE);

/** `DESCRIBE_ELEMENT` of the element at a point, in one call (null when nothing is there). */
export const DESCRIBE_AT_POINT = pageFunction<{ x: number; y: number; secret: string }, ElementInfo | null>(
  `({ x, y, secret }) => { const element = (${ELEMENT_AT_POINT_SOURCE})({ x, y }); return element ? (${DESCRIBE_ELEMENT_SOURCE})(element, { secret, selectors: false }) : null; }`,
);

/** Visible text of the document and its open shadow roots (not iframes: each frame is read on its own). */
export const VISIBLE_TEXT = pageFunction<number, string>(`(maxChars) => {
  const parts = [];
  let total = 0;
  const add = (text) => { if (text && total < maxChars) { parts.push(text); total += text.length; } };
  if (document.body) add(document.body.innerText);
  const visit = (scope) => {
    for (const node of scope.querySelectorAll('*')) {
      if (!node.shadowRoot) continue;
      for (const child of node.shadowRoot.children) add(child.innerText);
      visit(node.shadowRoot);
    }
  };
  visit(document);
  return parts.join('\\n').slice(0, maxChars);
}`);

export interface MarkCandidate {
  role: string;
  name: string;
  box: { x: number; y: number; width: number; height: number };
}

/**
 * Interactive elements visible in the viewport (through open shadow roots and same-origin iframes), skipping ones
 * covered by something else at their centre.
 */
export const COLLECT_MARKS = pageFunction<number, MarkCandidate[]>(`(limit) => {
  const INTERACTIVE = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=checkbox], [role=radio], [role=tab], [role=menuitem], [role=option], [role=switch], [role=combobox], [role=textbox], [role=slider], [contenteditable=""], [contenteditable=true], [onclick], [tabindex]:not([tabindex="-1"])';
  const marks = [];
  const clean = (text) => (text || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  const visit = (scope, offsetX, offsetY, win) => {
    for (const element of scope.querySelectorAll('*')) {
      if (marks.length >= limit) return;
      if (element.shadowRoot) visit(element.shadowRoot, offsetX, offsetY, win);
      if (element.tagName === 'IFRAME') {
        try {
          const inner = element.contentDocument;
          if (inner) {
            const rect = element.getBoundingClientRect();
            const style = win.getComputedStyle(element);
            visit(inner, offsetX + rect.x + (parseFloat(style.borderLeftWidth) || 0) + (parseFloat(style.paddingLeft) || 0), offsetY + rect.y + (parseFloat(style.borderTopWidth) || 0) + (parseFloat(style.paddingTop) || 0), element.contentWindow);
          }
        } catch (e) {}
        continue;
      }
      if (!element.matches(INTERACTIVE)) continue;
      const rect = element.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2) continue;
      const x = rect.x + offsetX, y = rect.y + offsetY;
      if (x + rect.width < 0 || y + rect.height < 0 || x > innerWidth || y > innerHeight) continue;
      const style = win.getComputedStyle(element);
      if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) continue;
      const root = element.getRootNode();
      const hit = root.elementFromPoint ? root.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2) : null;
      if (hit && hit !== element && !element.contains(hit) && !hit.contains(element)) continue;
      const tag = element.tagName.toLowerCase();
      const role = element.getAttribute('role') || (tag === 'a' ? 'link' : tag === 'input' ? (element.type === 'checkbox' || element.type === 'radio' ? element.type : ['button', 'submit', 'reset'].includes(element.type) ? 'button' : 'textbox') : tag === 'select' ? 'combobox' : tag === 'textarea' ? 'textbox' : tag);
      const name = clean(element.getAttribute('aria-label') || (element.labels && element.labels[0] && element.labels[0].textContent) || element.getAttribute('placeholder') || element.value || element.innerText || element.getAttribute('title'));
      marks.push({ role, name, box: { x, y, width: rect.width, height: rect.height } });
    }
  };
  visit(document, 0, 0, window);
  return marks;
}`);

/** Draws numbered boxes over the page (pointer-events: none), in a shadow root of its own. */
export const DRAW_MARKS = pageFunction<MarkCandidate[], void>(`(marks) => {
  const old = document.getElementById('__kestrel_marks');
  if (old) old.remove();
  const host = document.createElement('div');
  host.id = '__kestrel_marks';
  host.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:2147483647';
  const root = host.attachShadow({ mode: 'closed' });
  const colors = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#008080', '#9a6324', '#800000'];
  marks.forEach((mark, index) => {
    const color = colors[index % colors.length];
    const box = document.createElement('div');
    box.style.cssText = 'position:fixed;box-sizing:border-box;border:2px solid ' + color + ';left:' + mark.box.x + 'px;top:' + mark.box.y + 'px;width:' + mark.box.width + 'px;height:' + mark.box.height + 'px';
    const label = document.createElement('div');
    label.textContent = String(index + 1);
    label.style.cssText = 'position:absolute;left:-2px;top:-2px;transform:translateY(-100%);background:' + color + ';color:#fff;font:bold 11px/13px monospace;padding:0 3px';
    if (mark.box.y < 14) label.style.transform = 'none';
    box.appendChild(label);
    root.appendChild(box);
  });
  document.documentElement.appendChild(host);
}`);

export const REMOVE_MARKS = pageFunction<void, void>(`() => { const host = document.getElementById('__kestrel_marks'); if (host) host.remove(); }`);
