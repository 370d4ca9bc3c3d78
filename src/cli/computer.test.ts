import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrajectory } from '../computer/recording/recorder.js';
import { serveTestPages, type TestSite } from '../computer/test-support/pages.js';
import { computerCommand } from './computer.js';

type Json = Record<string, unknown>;

/** A hand-written Responses endpoint: answers each POST /v1/responses with the next scripted body. */
async function fakeEndpoint(script: Json[]): Promise<{ url: string; requests: Json[]; close: () => Promise<void> }> {
  const requests: Json[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push(JSON.parse(body) as Json);
      const next = script[requests.length - 1];
      response.writeHead(next ? 200 : 500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(next ?? { error: { message: 'script ran out' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const response = (id: string, output: Json[]): Json => ({ id, object: 'response', status: 'completed', output });

let site: TestSite;
const dirs: string[] = [];
beforeAll(async () => {
  site = await serveTestPages();
});
afterAll(async () => {
  await site.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('kestrel computer', () => {
  it('runs the client loop: actions, screenshots, approved checks, functions, recording; then replays it', async () => {
    const endpoint = await fakeEndpoint([
      response('resp_1', [
        {
          type: 'computer_call',
          id: 'cu_1',
          call_id: 'call_1',
          status: 'completed',
          actions: [{ type: 'click', button: 'left', x: 80, y: 40 }],
          pending_safety_checks: [{ id: 'cu_sc_1', code: 'malicious_instructions', message: 'Looks odd.' }],
        },
      ]),
      response('resp_2', [{ type: 'function_call', id: 'fc_1', call_id: 'call_2', name: 'goto', arguments: JSON.stringify({ url: `${site.origin}/form` }) }]),
      response('resp_3', [{ type: 'computer_call', id: 'cu_2', call_id: 'call_3', status: 'completed', action: { type: 'click', button: 'left', x: 100, y: 35 } }]),
      response('resp_4', [{ type: 'computer_call', id: 'cu_3', call_id: 'call_4', status: 'completed', actions: [{ type: 'type', text: 'Ada' }, { type: 'keypress', keys: ['TAB'] }] }]),
      response('resp_5', [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'All done.', annotations: [] }] }]),
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-cli-computer-'));
    dirs.push(dir);
    const out: string[] = [];
    const err: string[] = [];
    const questions: string[] = [];
    try {
      const code = await computerCommand(
        ['--task', 'Click A, then fill the form', '--start-url', `${site.origin}/click`, '--base-url', endpoint.url, '--model', 'test-model', '--record', dir],
        { out: (line) => out.push(line), err: (line) => err.push(line), ask: async (question) => (questions.push(question), 'y'), env: {} },
      );
      expect(err.join('\n')).toContain('malicious_instructions (endpoint): Looks odd.');
      expect(code).toBe(0);
    } finally {
      await endpoint.close();
    }
    const [first, second, third, , fifth] = endpoint.requests;
    expect(first).toMatchObject({ model: 'test-model', truncation: 'auto' });
    expect(first.tools).toEqual(expect.arrayContaining([{ type: 'computer' }, expect.objectContaining({ type: 'function', name: 'goto' })]));
    const content = (first.input as { content: { type: string; text?: string; image_url?: string }[] }[])[0].content;
    expect(content[0]).toEqual({ type: 'input_text', text: 'Click A, then fill the form' });
    expect(content[1].image_url).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(second.previous_response_id).toBe('resp_1');
    expect((second.input as Json[])[0]).toMatchObject({
      type: 'computer_call_output',
      call_id: 'call_1',
      output: { type: 'computer_screenshot' },
      acknowledged_safety_checks: [{ id: 'cu_sc_1', code: 'malicious_instructions', message: 'Looks odd.' }],
    });
    expect((third.input as Json[])[0]).toEqual({ type: 'function_call_output', call_id: 'call_2', output: expect.stringContaining(`Now at ${site.origin}/form`) });
    expect((fifth.input as Json[])[0]).toMatchObject({ type: 'computer_call_output', call_id: 'call_4' });
    expect(questions).toHaveLength(1);
    expect(out).toContain('step 1: click(80, 40)');
    expect(out.join('\n')).toContain('step 4: type("Ada"), keypress(TAB)');
    expect(out[out.length - 1]).toBe('\ncompleted after 5 steps: All done.');

    const records = await readTrajectory(dir);
    expect(records[0]).toMatchObject({ type: 'session', task: 'Click A, then fill the form', startUrl: `${site.origin}/click` });
    const batches = records.filter((record) => record.type === 'batch');
    expect(batches.map((batch) => batch.type === 'batch' && batch.actions.map((a) => a.type).join('+'))).toEqual(['click', 'goto', 'click', 'type+keypress']);
    expect(records[records.length - 1]).toMatchObject({ type: 'end', reason: 'completed' });

    const replayOut: string[] = [];
    const replayed = await computerCommand(['replay', dir], { out: (line) => replayOut.push(line), err: (line) => replayOut.push(line), env: {} });
    expect(replayed).toBe(0);
    expect(replayOut[replayOut.length - 1]).toBe('replayed 5 actions in 4 batches: 2 by selector, 0 by coordinates, 0 skipped, 0 URL mismatches');
  });

  it('stops without acting when the person denies a safety check', async () => {
    const endpoint = await fakeEndpoint([
      response('resp_1', [
        { type: 'computer_call', id: 'cu_1', call_id: 'call_1', status: 'completed', actions: [{ type: 'click', x: 80, y: 40 }], pending_safety_checks: [{ id: 'cu_sc_9', code: 'irrelevant_domain' }] },
      ]),
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'kestrel-cli-computer-'));
    dirs.push(dir);
    const out: string[] = [];
    try {
      const code = await computerCommand(['--task', 'x', '--start-url', `${site.origin}/click`, '--base-url', endpoint.url, '--record', dir], {
        out: (line) => out.push(line),
        err: () => undefined,
        ask: async () => 'n',
        env: {},
      });
      expect(code).toBe(1);
    } finally {
      await endpoint.close();
    }
    expect(endpoint.requests).toHaveLength(1);
    expect(out[out.length - 1]).toBe('\ndenied after 1 step');
    const records = await readTrajectory(dir);
    expect(records.filter((record) => record.type === 'batch')).toEqual([]);
  });

  it('explains bad arguments', async () => {
    const err: string[] = [];
    expect(await computerCommand([], { out: () => undefined, err: (line) => err.push(line) })).toBe(2);
    expect(err[0]).toContain('--task is required');
    expect(await computerCommand(['--task', 'x', '--display', 'big'], { out: () => undefined, err: (line) => err.push(line) })).toBe(2);
    expect(err[1]).toContain('--display must look like 1024x768');
  });
});
