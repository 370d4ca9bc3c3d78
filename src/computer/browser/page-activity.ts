import type { Page, Request } from 'playwright-core';

// Requests that stay open by design and would hold every settle until its cap.
const LONG_LIVED = new Set(['websocket', 'eventsource', 'media', 'manifest']);

/**
 * Network and navigation activity of one page, from Playwright events (no polling): requests in flight, a counter
 * that moves on any activity, and whether the main frame navigated since the last `reset()`.
 *
 * @example
 * const activity = new PageActivity(page);
 * await activity.idle(Date.now() + 2000); // true once no request is in flight
 */
export class PageActivity {
  /** Moves whenever a request starts or ends, or the main frame navigates. */
  count = 0;
  /** The main frame committed a navigation since the last `reset()`. */
  navigated = false;
  private readonly inflight = new Set<Request>();
  private waiters: (() => void)[] = [];
  private readonly detachers: (() => void)[] = [];

  constructor(private readonly page: Page) {
    const onRequest = (request: Request) => {
      const previous = request.redirectedFrom();
      if (previous) this.inflight.delete(previous);
      if (LONG_LIVED.has(request.resourceType())) return;
      this.inflight.add(request);
      this.count++;
    };
    const onDone = (request: Request) => {
      if (!this.inflight.delete(request)) return;
      this.count++;
      if (this.inflight.size === 0) this.wake();
    };
    const onNavigated = (frame: import('playwright-core').Frame) => {
      if (frame !== page.mainFrame()) return;
      this.navigated = true;
      this.count++;
    };
    page.on('request', onRequest);
    page.on('requestfinished', onDone);
    page.on('requestfailed', onDone);
    page.on('framenavigated', onNavigated);
    this.detachers.push(
      () => page.off('request', onRequest),
      () => page.off('requestfinished', onDone),
      () => page.off('requestfailed', onDone),
      () => page.off('framenavigated', onNavigated),
    );
  }

  /** Requests in flight (long-lived ones excluded). */
  get pending(): number {
    return this.inflight.size;
  }

  reset(): void {
    this.navigated = false;
  }

  /** Resolves true when no request is in flight, false at `deadline` (a Date.now() value). */
  idle(deadline: number): Promise<boolean> {
    if (this.inflight.size === 0) return Promise.resolve(true);
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== done);
        resolve(this.inflight.size === 0);
      }, remaining);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }

  detach(): void {
    for (const detach of this.detachers) detach();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
