import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvelope } from '../engine/envelope.js';
import { createSqliteStore } from '../store/sqlite/index.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { postRaw } from '../test-support/sse.js';

const dirs: string[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-restart-'));
  dirs.push(dir);
  return dir;
}

async function waitForStatus(url: string, wanted: string): Promise<Record<string, any>> {
  for (let i = 0; i < 200; i++) {
    const body = (await (await fetch(url)).json()) as Record<string, any>;
    if (body.status === wanted) return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`status never became ${wanted}`);
}

describe('restarts', () => {
  it('accepts its own encrypted reasoning after a restart', async () => {
    const dir = dataDir();
    server = await startTestServer({ script: [{ reasoning: 'private', text: 'a' }], dataDir: dir });
    const first = JSON.parse((await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'q', store: false, include: ['reasoning.encrypted_content'] })).text);
    await server.close();
    server = await startTestServer({ script: [{ text: 'b' }], dataDir: dir });
    const again = await postRaw(`${server.baseURL}/responses`, { model: 'm', input: [...first.output, { role: 'user', content: 'next' }] });
    expect(again.status).toBe(200);
    expect(server.backend.calls[0].messages[0]).toMatchObject({ role: 'assistant', reasoning: 'private' });
  });

  it('marks a background response failed when the server stops mid-run, and keeps it', async () => {
    const dir = dataDir();
    server = await startTestServer({ script: [{ text: 'x'.repeat(500), chunkSize: 5, delayMs: 20 }], dataDir: dir });
    const queued = JSON.parse((await postRaw(`${server.baseURL}/responses`, { model: 'm', input: 'q', background: true })).text);
    await waitForStatus(`${server.baseURL}/responses/${queued.id}`, 'in_progress');
    await server.close();
    server = await startTestServer({ script: [{ text: 'y' }], dataDir: dir });
    const after = (await (await fetch(`${server.baseURL}/responses/${queued.id}`)).json()) as Record<string, any>;
    expect(after.status).toBe('failed');
    expect(after.error.message).toMatch(/stopped|restarted/);
    const events = await (await fetch(`${server.baseURL}/responses/${queued.id}?stream=true`)).text();
    expect(events).toContain('response.failed');
  });

  it('resumes queued background work and fails work that was in progress during a crash', async () => {
    const dir = dataDir();
    // Simulate a crash: records left queued / in_progress in the store, no process to finish them.
    const store = createSqliteStore({ path: join(dir, 'kestrel.db') });
    const params = { model: 'm', input: 'resume me', background: true };
    for (const [id, status] of [['resp_queued_1', 'queued'], ['resp_running_1', 'in_progress']] as const) {
      const response = createEnvelope(id, params, { model: 'm', previousResponseId: null, conversationId: null });
      response.status = status;
      await store.createResponse({ id, owner: '', response, request: params, previousResponseId: null, conversationId: null, background: true }, [{ type: 'message', id: `msg_${id}`, role: 'user', content: [{ type: 'input_text', text: 'resume me' }] }]);
    }
    await store.close();
    server = await startTestServer({ script: [{ text: 'resumed answer' }], dataDir: dir });
    const resumed = await waitForStatus(`${server.baseURL}/responses/resp_queued_1`, 'completed');
    expect(resumed.output[0].content[0].text).toBe('resumed answer');
    const crashed = (await (await fetch(`${server.baseURL}/responses/resp_running_1`)).json()) as Record<string, any>;
    expect(crashed.status).toBe('failed');
  });
});
