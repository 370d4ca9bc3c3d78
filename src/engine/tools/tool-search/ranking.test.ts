import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.js';
import { ToolSearchIndex, type SearchableTool } from './index.js';
import { RANKING } from './search-index.js';
import { findValues, parameterTerm } from './values.js';

const tool = (path: string, description: string, properties?: Record<string, { type: string; description?: string }>): SearchableTool => {
  const [namespace, name] = path.includes('.') ? path.split('.') : [undefined, path];
  return { path, name: name!, namespace, description, parameters: properties ? { type: 'object', properties } : undefined };
};
const top = (index: ToolSearchIndex, query: string) => index.search(query, { limit: 3 }).hits[0]?.path;

/** How much better `winner` scores than `loser` for a query (a ratio), as ranked now. */
function lead(index: ToolSearchIndex, query: string, winner: string, loser: string): number {
  const hits = index.search(query, { limit: 10 }).hits;
  const score = (path: string) => hits.find((hit) => hit.path === path)?.score ?? 0;
  return score(winner) / score(loser);
}

/** Runs `fn` with one ranking weight changed, then puts it back. */
function withRanking<T>(key: keyof typeof RANKING, value: number, fn: () => T): T {
  const saved = RANKING[key];
  RANKING[key] = value;
  try {
    return fn();
  } finally {
    RANKING[key] = saved;
  }
}

describe('values in a request', () => {
  it('finds e-mail addresses, phone numbers, amounts, file names, links, times, keys, channels and handles', () => {
    const { text, values } = findValues('Mail ana@acme.io and +44 20 7946 0000 $49 report.csv https://x.dev/a 10.0.0.0/24 at 9am PROJ-12 #support @lee v2.3.0 in acme/web');
    expect(values.map((value) => value.kind).sort()).toEqual(['channel', 'email', 'file', 'handle', 'ip', 'key', 'money', 'path', 'phone', 'time', 'url', 'version']);
    expect(values.find((value) => value.kind === 'email')?.terms).toContain(parameterTerm('email'));
    // Values leave the text (so "report" and "acme" are not read as words); times stay words too.
    expect(text).not.toMatch(/acme|report|support/);
    expect(text).toContain('9am');
  });

  it('finds nothing in plain words', () => {
    expect(findValues('Create a new issue in the web repo').values).toEqual([]);
    expect(findValues('Turn the lights on/off and/or dim them').values).toEqual([]);
  });

  it('ranks first the tools whose parameters take the values', () => {
    const index = new ToolSearchIndex([
      tool('notify.send_push', 'Send a notification.', { device_token: { type: 'string', description: 'Device token' }, body: { type: 'string' } }),
      tool('notify.send_email', 'Send a notification.', { email: { type: 'string', description: 'Recipient address' }, body: { type: 'string' } }),
      tool('notify.send_sms', 'Send a notification.', { phone: { type: 'string', description: 'Phone number' }, body: { type: 'string' } }),
    ]);
    expect(top(index, 'Send a notification to +1 555 010 0199')).toBe('notify.send_sms');
    expect(top(index, 'Send a notification to ana@example.com')).toBe('notify.send_email');
  });
});

describe('ranking', () => {
  it('scores a query word by its best matching term, its other expansions at the tie weight (dis-max)', () => {
    // Document 0 holds both expansions of one word; document 1 holds one term of another word.
    const bm25 = new Bm25Index([
      [{ term: 'remove', weight: 1 }, { term: '~delete', weight: 1 }],
      [{ term: 'file', weight: 1 }],
      [{ term: 'other', weight: 1 }],
    ]);
    const id = (term: string) => bm25.termId(term)!;
    const single = (term: string, doc: number) => bm25.termScore(id(term), doc);
    const units = [new Map([[id('remove'), 1], [id('~delete'), 1]]), new Map([[id('file'), 1]])];
    let { scores } = bm25.scoreUnits(units, 0);
    expect(scores[0]).toBeCloseTo(Math.max(single('remove', 0), single('~delete', 0)), 5);
    expect(scores[1]).toBeCloseTo(single('file', 1), 5);
    bm25.reset(new Int32Array([0, 1]), 2);
    ({ scores } = bm25.scoreUnits(units, 1));
    // A tie weight of 1 is plain BM25: every term adds up.
    expect(scores[0]).toBeCloseTo(single('remove', 0) + single('~delete', 0), 5);
  });

  it('prefers the tool whose name the request spells out', () => {
    const index = new ToolSearchIndex([
      tool('tracker.add_watcher', 'Add a user as a watcher of an issue.', { issue_id: { type: 'string' } }),
      tool('tracker.create_issue', 'Creates a issue with the given fields and returns it.', { summary: { type: 'string' } }),
    ]);
    expect(top(index, 'Erstelle ein neues Ticket')).toBe('tracker.create_issue');
    const withNames = lead(index, 'Erstelle ein neues Ticket', 'tracker.create_issue', 'tracker.add_watcher');
    expect(withNames).toBeGreaterThan(1.05 * withRanking('nameBonus', 0, () => lead(index, 'Erstelle ein neues Ticket', 'tracker.create_issue', 'tracker.add_watcher')));
  });

  it('reads plural objects as lists and singular ones as single items', () => {
    const index = new ToolSearchIndex([
      tool('tracker.get_issue', 'Get an issue of a project.'),
      tool('tracker.list_issues', 'List the issues of a project.'),
      tool('tracker.close_issue', 'Close an issue.'),
    ]);
    expect(top(index, 'Which tickets are in the project?')).toBe('tracker.list_issues');
    expect(top(index, 'Show me ticket 42 of the project')).toBe('tracker.get_issue');
  });

  it('counts a command’s first word, its action, more than its other words', () => {
    const index = new ToolSearchIndex([
      tool('books.create_invoice', 'Create an invoice for a customer, with its lines, amounts and due date.'),
      tool('books.create_payment', 'Record a payment.'),
    ]);
    // The tool the action names (pay) gains on the one the other words name (invoice lines).
    const weighted = lead(index, 'Pay the invoice lines', 'books.create_payment', 'books.create_invoice');
    expect(weighted).toBeGreaterThan(1.1 * withRanking('actionWeight', 1, () => lead(index, 'Pay the invoice lines', 'books.create_payment', 'books.create_invoice')));
  });

  it('prefers the tool that does what a command asks over the ones that only read', () => {
    const index = new ToolSearchIndex([
      tool('pay.get_refund', 'Get a refund by its ID.'),
      tool('pay.list_refunds', 'List refunds.'),
      tool('pay.create_refund', 'Create a refund for a payment.'),
    ]);
    for (const query of ['Refund the customer', 'Rembourse le client', '返金して', '给客户退款']) expect(top(index, query)).toBe('pay.create_refund');
    expect(top(index, 'Which refunds have we made?')).toBe('pay.list_refunds');
  });

  it('finds the action of a Japanese or Chinese request at its end', () => {
    const index = new ToolSearchIndex([tool('pay.create_refund', 'Create a refund for a payment.')]);
    const japanese = index.analyze('Stripeで返金して');
    expect(japanese.units[japanese.action]?.surface).toBe('返金');
    const chinese = index.analyze('在Stripe上给客户退款');
    expect(chinese.units[chinese.action]?.surface).toBe('退款');
    expect(index.analyze('Refund the customer in Stripe').action).toBe(0);
  });
});
