import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelMessage, ModelRequest } from '../../../backends/types.js';
import type { ScriptedTurn } from '../../../backends/scripted/index.js';
import type { ConfigFile } from '../../../config/schema.js';
import { serveTestPages, type TestSite } from '../../../computer/test-support/pages.js';
import { startTestServer, type TestServer } from '../../../test-support/server.js';

// Full hosted runs: a scripted model drives a real Chromium (and an Xvfb desktop) that Kestrel runs, through the
// HTTP server, with the official openai SDK as the client. End states are checked on the test site itself.

let site: TestSite;
let server: TestServer | undefined;
beforeAll(async () => {
  site = await serveTestPages();
});
afterAll(async () => {
  await site.close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const CONFIG: ConfigFile = { computer: { network: { allowLoopback: true } } };

async function start(script: (request: ModelRequest, index: number) => ScriptedTurn, config: ConfigFile = CONFIG): Promise<OpenAI> {
  server = await startTestServer({ script, config });
  return new OpenAI({ baseURL: server.baseURL, apiKey: 'test' });
}

const computerCall = (actions: Record<string, unknown>[], text?: string): ScriptedTurn => ({ text, toolCalls: [{ name: 'computer', arguments: { actions } }] });
const textOf = (message: ModelMessage | undefined): string =>
  message && message.role !== 'system' && message.role !== 'assistant' ? message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n') : '';
const allText = (request: ModelRequest) => request.messages.map(textOf).join('\n');
const refOf = (text: string, pattern: RegExp) => text.match(pattern)?.[1] ?? 'missing';
const imageCount = (request: ModelRequest) => request.messages.reduce((n, m) => n + (m.role === 'user' || m.role === 'tool' ? m.content.filter((part) => part.type === 'image').length : 0), 0);

describe('computer tool, hosted by Kestrel', () => {
  it('runs a browser task to its end state, streaming each computer_call and its screenshot', async () => {
    const client = await start((_request, index) =>
      index === 0
        ? computerCall(
            [
              { type: 'click', x: 120, y: 35 },
              { type: 'type', text: 'Ada' },
              { type: 'keypress', keys: ['TAB'] },
              { type: 'keypress', keys: ['ARROWDOWN'] },
              { type: 'keypress', keys: ['TAB'] },
              { type: 'keypress', keys: ['ENTER'] },
            ],
            'Filling in the form.',
          )
        : { text: 'Signed up as Ada on the team plan.' },
    );
    const stream = client.responses.stream({ model: 'scripted', input: 'Sign up as Ada, team plan.', tools: [{ type: 'computer', environment: 'browser', start_url: `${site.origin}/signup` } as never] });
    const events: string[] = [];
    for await (const event of stream) if (event.type === 'response.output_item.added' || event.type === 'response.output_item.done') events.push(`${event.type.slice(21)}:${event.item.type}`);
    const response = await stream.finalResponse();

    expect(site.requests).toContain(`127.0.0.1:${site.port}/welcome?name=Ada&plan=team`);
    expect(response.status).toBe('completed');
    expect(response.output.map((item) => item.type)).toEqual(['message', 'computer_call', 'computer_call_output', 'message']);
    expect(events).toEqual(['added:message', 'done:message', 'added:computer_call', 'done:computer_call', 'added:computer_call_output', 'done:computer_call_output', 'added:message', 'done:message']);
    const [, call, output] = response.output as unknown as Record<string, unknown>[];
    expect(call).toMatchObject({ status: 'completed', actions: [{ type: 'click', x: 120, y: 35, button: 'left' }, { type: 'type', text: 'Ada' }, { type: 'keypress' }, { type: 'keypress' }, { type: 'keypress' }, { type: 'keypress', keys: ['ENTER'] }] });
    expect(output).toMatchObject({ call_id: call.call_id, output: { type: 'computer_screenshot' }, current_url: `${site.origin}/welcome?name=Ada&plan=team` });
    expect(String((output.output as { image_url: string }).image_url)).toMatch(/^data:image\/png;base64,iVBOR/);
    const sessionId = String(output.session_id);
    expect(sessionId).toMatch(/^cs_/);

    const [first, second] = server!.backend.calls;
    expect(first.messages.at(-1)).toMatchObject({ role: 'user', content: [{ type: 'text', text: expect.stringContaining(`session ${sessionId}) is ready at ${site.origin}/signup`) }, { type: 'image' }] });
    expect(first.tools[0]).toMatchObject({ kind: 'function', name: 'computer', native: { type: 'computer', display: { width: 1024, height: 768 } } });
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', callId: call.call_id, content: [{ type: 'text', text: expect.stringContaining('/welcome?name=Ada') }, { type: 'image', detail: 'original' }] });

    // The session was recorded: JSONL with the batch and its URL, and the screenshot.
    const trajectory = join(server!.dataDir, 'computer', sessionId, 'trajectory.jsonl');
    expect(existsSync(trajectory)).toBe(true);
    expect(readFileSync(trajectory, 'utf8')).toContain('/welcome?name=Ada&plan=team');
  });

  it('pauses before a payment until the client acknowledges the safety check, then carries on', async () => {
    const client = await start((request, index) => {
      if (index === 0) return computerCall([{ type: 'click', ref: refOf(allText(request), /button "Pay now" \[ref=(\w+)\]/) }]);
      return { text: 'Paid.' };
    });
    const tools = [{ type: 'computer', environment: 'browser', start_url: `${site.origin}/checkout`, grounding: 'refs' } as never];
    const paused = await client.responses.create({ model: 'scripted', input: 'Pay for the order.', tools });
    expect(paused.output.map((item) => item.type)).toEqual(['computer_call']);
    const call = paused.output[0] as unknown as { call_id: string; pending_safety_checks: { id: string; code: string; message: string }[]; session_id: string };
    expect(call.pending_safety_checks).toMatchObject([{ code: 'sensitive_action', message: expect.stringContaining('Pay now') }]);
    expect(site.requests.filter((r) => r.endsWith('/paid'))).toEqual([]);

    const resume = (acknowledged: unknown[]) =>
      client.responses.create({
        model: 'scripted',
        previous_response_id: paused.id,
        tools: [{ type: 'computer', environment: 'browser', grounding: 'refs' } as never],
        input: [{ type: 'computer_call_output', call_id: call.call_id, acknowledged_safety_checks: acknowledged } as never],
      });
    const refused = await resume([]).catch((error: unknown) => error);
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    expect((refused as Error).message).toContain('unacknowledged safety check');

    const done = await resume(call.pending_safety_checks);
    expect(done.output.map((item) => item.type)).toEqual(['computer_call_output', 'message']);
    expect(done.output_text).toBe('Paid.');
    expect(done.output[0]).toMatchObject({ call_id: call.call_id, session_id: call.session_id, current_url: `${site.origin}/paid` });
    expect(site.requests.filter((r) => r.endsWith('/paid'))).toHaveLength(1);
  });

  it('shows a model without vision an accessibility snapshot, and clicks by ref', async () => {
    const client = await start(
      (request, index) => (index === 0 ? computerCall([{ type: 'click', ref: refOf(allText(request), /button "Button B" \[ref=(\w+)\]/) }]) : { text: textOf(request.messages.at(-1)) }),
      { ...CONFIG, models: { 'text-model': { backend: 'scripted', capabilities: { vision: false } } } },
    );
    const response = await client.responses.create({ model: 'text-model', input: 'Press B', tools: [{ type: 'computer', environment: 'browser', start_url: `${site.origin}/click` } as never] });
    const [first] = server!.backend.calls;
    expect(imageCount(first)).toBe(0);
    expect(allText(first)).toContain('button "Button B" [ref=');
    expect(response.output_text).toContain('b:click:0');
  });

  it('draws Set-of-Marks boxes and clicks by mark number', async () => {
    const client = await start((request, index) => {
      if (index > 0) return { text: 'done' };
      const mark = allText(request).match(/^(\d+): button "Sign up"/m)?.[1];
      return computerCall([{ type: 'click', mark: Number(mark) }]);
    });
    await client.responses.create({ model: 'scripted', input: 'Sign up', tools: [{ type: 'computer', environment: 'browser', start_url: `${site.origin}/signup`, grounding: 'marks' } as never] });
    expect(site.requests).toContain(`127.0.0.1:${site.port}/welcome?name=&plan=free`);
    expect(imageCount(server!.backend.calls[0])).toBe(1);
  });

  it('keeps sessions for continuation, limits them per key, and closes one on cancel', async () => {
    const client = await start((request) => (allText(request).includes('wait please') ? { text: 'slow', delayMs: 10_000 } : { text: 'ok' }), {
      ...CONFIG,
      computer: { ...CONFIG.computer, maxSessionsPerKey: 1 },
    });
    const tools = (extra: Record<string, unknown> = {}) => [{ type: 'computer', environment: 'browser', start_url: `${site.origin}/click`, ...extra } as never];
    await client.responses.create({ model: 'scripted', input: 'hi', tools: tools() });
    const sessionId = allText(server!.backend.calls[0]).match(/session (cs_\w+)/)?.[1];
    expect(sessionId).toBeTruthy();

    const limited = await client.responses.create({ model: 'scripted', input: 'hi', tools: tools() }).catch((error: unknown) => error);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);

    await client.responses.create({ model: 'scripted', input: 'again', tools: tools({ session: sessionId }) });
    expect(allText(server!.backend.calls[1])).toContain(`session ${sessionId}) is ready at ${site.origin}/click`);

    const slow = await client.responses.create({ model: 'scripted', input: 'wait please', tools: tools({ session: sessionId }), background: true });
    for (let i = 0; i < 500 && server!.backend.calls.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = await client.responses.cancel(slow.id);
    expect(cancelled.status).toBe('cancelled');
    const gone = await client.responses.create({ model: 'scripted', input: 'hi', tools: tools({ session: sessionId }) }).catch((error: unknown) => error);
    expect((gone as InstanceType<typeof OpenAI.NotFoundError>).status).toBe(404);
    expect((gone as Error).message).toContain('not found');
  });

  it('keeps only the latest screenshots in hosted runs and reports what that saved', async () => {
    const client = await start((_request, index) => (index < 7 ? computerCall([{ type: 'screenshot' }]) : { text: 'seen enough' }));
    const response = await client.responses.create({ model: 'scripted', input: 'Look around', tools: [{ type: 'computer', environment: 'browser', start_url: `${site.origin}/click` } as never] });
    expect(response.output_text).toBe('seen enough');
    const counts = server!.backend.calls.map(imageCount);
    expect(counts).toEqual([1, 2, 3, 4, 5, 3, 4, 5]);
    // Three screenshots left the context at the sixth call; the last three calls were each spared them.
    expect(response.usage).toMatchObject({ computer_details: { screenshots_pruned: 3, input_tokens_saved: 3 * 3 * 1049 } });
  });

  it('runs an Xvfb desktop with Chromium on it', async () => {
    const client = await start((_request, index) => (index === 0 ? computerCall([{ type: 'move', x: 500, y: 400 }]) : { text: 'desktop seen' }));
    const response = await client.responses.create({ model: 'scripted', input: 'Look', tools: [{ type: 'computer', environment: 'desktop', start_url: `${site.origin}/click` } as never] });
    expect(response.output_text).toBe('desktop seen');
    const output = response.output.find((item) => (item.type as string) === 'computer_call_output') as unknown as { output: { image_url: string } };
    const png = Buffer.from(output.output.image_url.split(',')[1], 'base64');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 768]);
    const first = server!.backend.calls[0];
    expect(first.tools[0]).toMatchObject({ native: { environment: 'linux' } });
    expect(allText(first)).toContain('The desktop (session cs_');
  });

  it('refuses blocked start URLs and bad hosted fields before any model call', async () => {
    const client = await start(() => ({ text: 'never' }));
    const blocked = await client.responses.create({ model: 'scripted', input: 'x', tools: [{ type: 'computer', environment: 'browser', start_url: 'file:///etc/passwd' } as never] }).catch((error: unknown) => error);
    expect(blocked).toBeInstanceOf(OpenAI.BadRequestError);
    expect((blocked as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools[0].start_url');
    const bad = await client.responses.create({ model: 'scripted', input: 'x', tools: [{ type: 'computer', environment: 'phone' } as never] }).catch((error: unknown) => error);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools[0].environment');
    const missing = await client.responses.create({ model: 'scripted', input: 'x', tools: [{ type: 'computer', session: 'cs_nothere' } as never] }).catch((error: unknown) => error);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).status).toBe(404);
    expect(server!.backend.calls).toHaveLength(0);
  });
});
