import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../src/backends/types.js';
import { startTestServer, type TestServer } from '../../src/test-support/server.js';
import { messageText, scriptQueue, transcript, type ScriptQueue } from './script-queue.js';

/**
 * The real Codex CLI (`codex exec`, @openai/codex 0.169.0) against Kestrel, set up as
 * docs/clients/codex.md describes: a custom provider, a one-model catalog (so Codex sends its
 * freeform `apply_patch` tool), analytics and plugins off, no login, no network but 127.0.0.1.
 */
const CODEX_JS = fileURLToPath(new URL('../../node_modules/@openai/codex/bin/codex.js', import.meta.url));
const MODEL = 'kestrel-coder';
const RUN_TIMEOUT_MS = 120_000;

interface CodexEvent {
  type: string;
  item?: { id: string; type: string; text?: string; message?: string; changes?: { path: string; kind: string }[]; status?: string };
  usage?: Record<string, number>;
  error?: { message: string };
  message?: string;
}

interface CodexRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: CodexEvent[];
}

/**
 * Writes a throwaway CODEX_HOME pointing at `baseURL`, with Kestrel's own `GET /v1/models` saved
 * as Codex's model catalog (as the README tells users to do), so Codex sends its apply_patch tool.
 */
async function makeCodexHome(baseURL: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'kestrel-codex-home-'));
  const catalogPath = join(home, 'kestrel-catalog.json');
  writeFileSync(catalogPath, await (await fetch(`${baseURL}/models`)).text());
  writeFileSync(
    join(home, 'config.toml'),
    [
      `model = "${MODEL}"`,
      'model_provider = "kestrel"',
      'model_reasoning_effort = "medium"',
      `model_catalog_json = ${JSON.stringify(catalogPath)}`,
      'check_for_update_on_startup = false',
      '',
      '[analytics]',
      'enabled = false',
      '',
      '[features]',
      'plugins = false',
      '',
      '[model_providers.kestrel]',
      'name = "Kestrel"',
      `base_url = ${JSON.stringify(baseURL)}`,
      'env_key = "KESTREL_API_KEY"',
      'wire_api = "responses"',
      // Fail fast: a Kestrel bug should fail the test, not be hidden by client retries.
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  return home;
}

/**
 * Runs `codex exec --json` once, non-interactively, in `workspace`. `--ephemeral` (no session
 * files) unless `keepSession`; `resume` continues the last session (`codex exec resume --last`).
 */
function runCodex(home: string, workspace: string, prompt: string, options: { keepSession?: boolean; resume?: boolean } = {}): Promise<CodexRun> {
  const flags = ['--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--color', 'never', '-C', workspace];
  if (!options.keepSession && !options.resume) flags.push('--ephemeral');
  const args = options.resume ? ['exec', ...flags, 'resume', '--last', prompt] : ['exec', ...flags, prompt];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CODEX_JS, ...args],
      {
        cwd: workspace,
        // A clean environment: no OPENAI_* variables, no real ~/.codex.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: home, KESTREL_API_KEY: 'test-key', NO_COLOR: '1', LANG: 'C.UTF-8' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as CodexEvent);
      resolve({ code, signal, stdout, stderr, events });
    });
  });
}

const describeRun = (run: CodexRun) => `exit ${run.code} (${run.signal ?? 'no signal'})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr.slice(-4000)}`;

/** Items Codex reported as completed, by type. */
const completed = (run: CodexRun, type: string) => run.events.filter((event) => event.type === 'item.completed' && event.item?.type === type).map((event) => event.item!);

describe('Codex CLI (codex exec) against Kestrel', () => {
  const cleanup: string[] = [];
  let server: TestServer | null = null;
  let queue: ScriptQueue;

  beforeAll(() => {
    if (!existsSync(CODEX_JS)) throw new Error(`Codex CLI not found at ${CODEX_JS}. It is a devDependency (@openai/codex 0.169.0): run npm install.`);
  });

  afterEach(async () => {
    await server?.close();
    server = null;
    for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function setup(): Promise<{ home: string; workspace: string; calls: ModelRequest[] }> {
    queue = scriptQueue();
    server = await startTestServer({ script: queue.script, models: [MODEL] });
    const home = await makeCodexHome(server.baseURL);
    const workspace = mkdtempSync(join(tmpdir(), 'kestrel-codex-ws-'));
    cleanup.push(home, workspace);
    return { home, workspace, calls: server.backend.calls };
  }

  it(
    'answers a turn with text',
    async () => {
      const { home, workspace, calls } = await setup();
      queue.push({ reasoning: 'A greeting is enough.', text: 'Hello from Kestrel via Codex.' });
      const result = await runCodex(home, workspace, 'Say hello.');

      expect(result.code, describeRun(result)).toBe(0);
      expect(completed(result, 'agent_message').map((item) => item.text)).toEqual(['Hello from Kestrel via Codex.']);
      expect(result.events.map((event) => event.type)).toContain('turn.completed');
      // No warnings either: an `error` item would mean e.g. missing model metadata or an
      // `openai-model` header that differs from the requested model ("model rerouted").
      expect(completed(result, 'error').map((item) => item.message), describeRun(result)).toEqual([]);
      expect(queue.pending()).toBe(0);

      expect(calls).toHaveLength(1);
      const [request] = calls;
      expect(request.model).toBe(MODEL);
      expect(request.messages[0]).toMatchObject({ role: 'system' });
      expect(messageText(request.messages[0])).toContain('You are a coding agent running in the Codex CLI, connected to a model served by Kestrel.');
      expect(transcript(request).at(-1)).toBe('user: Say hello.');
      expect(request.tools).toContainEqual(expect.objectContaining({ kind: 'custom', name: 'apply_patch', grammar: expect.objectContaining({ syntax: 'lark' }) }));
      expect(request.tools).toContainEqual(expect.objectContaining({ kind: 'function', name: 'exec_command' }));
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'applies the freeform apply_patch tool: creates hello.txt, edits it, sends the outputs back',
    async () => {
      const { home, workspace, calls } = await setup();
      const addPatch = '*** Begin Patch\n*** Add File: hello.txt\n+hello world\n*** End Patch\n';
      const editPatch = '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello world\n+hello Kestrel\n+second line\n*** End Patch\n';
      queue.push(
        { reasoning: 'Create the file first.', toolCalls: [{ name: 'apply_patch', kind: 'custom', arguments: addPatch, callId: 'call_patch_add' }] },
        { toolCalls: [{ name: 'apply_patch', kind: 'custom', arguments: editPatch, callId: 'call_patch_edit' }] },
        { text: 'Created hello.txt and edited it.' },
      );
      const result = await runCodex(home, workspace, 'Create hello.txt saying hello, then change it.');

      expect(result.code, describeRun(result)).toBe(0);
      expect(readFileSync(join(workspace, 'hello.txt'), 'utf8')).toBe('hello Kestrel\nsecond line\n');
      const changes = completed(result, 'file_change');
      expect(changes.map((item) => [item.status, item.changes?.map((change) => change.kind)]), describeRun(result)).toEqual([
        ['completed', ['add']],
        ['completed', ['update']],
      ]);
      expect(completed(result, 'agent_message').map((item) => item.text)).toEqual(['Created hello.txt and edited it.']);
      expect(completed(result, 'error').map((item) => item.message)).toEqual([]);
      expect(queue.pending()).toBe(0);

      expect(calls).toHaveLength(3);
      // Second call: Codex replayed the custom tool call verbatim and sent its output.
      const second = calls[1];
      const replayed = second.messages.find((message) => message.role === 'assistant' && message.toolCalls?.some((call) => call.callId === 'call_patch_add'));
      expect(replayed?.role === 'assistant' && replayed.toolCalls?.[0], transcript(second).join('\n')).toMatchObject({ kind: 'custom', name: 'apply_patch', arguments: addPatch });
      // Codex sent Kestrel's reasoning item back with its encrypted_content; Kestrel reopened it.
      expect(replayed?.role === 'assistant' && replayed.reasoning).toBe('Create the file first.');
      const addOutput = second.messages.find((message) => message.role === 'tool' && message.callId === 'call_patch_add');
      expect(addOutput, transcript(second).join('\n')).toMatchObject({ role: 'tool', kind: 'custom' });
      expect(messageText(addOutput!)).toContain('Success. Updated the following files:\nA hello.txt');
      // Third call: both rounds are in the history, the edit's output last.
      const third = calls[2];
      const lastMessage = third.messages[third.messages.length - 1];
      expect(lastMessage).toMatchObject({ role: 'tool', callId: 'call_patch_edit', kind: 'custom' });
      expect(messageText(lastMessage)).toContain('M hello.txt');
      expect(third.messages.some((message) => message.role === 'tool' && message.callId === 'call_patch_add')).toBe(true);
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'runs a shell command through the exec_command function tool and returns its output to the model',
    async () => {
      const { home, workspace, calls } = await setup();
      writeFileSync(join(workspace, 'input.txt'), 'kestrel-secret-42\n');
      queue.push(
        { toolCalls: [{ name: 'exec_command', arguments: { cmd: 'cat input.txt', login: false }, callId: 'call_exec_cat' }] },
        { text: 'The file says kestrel-secret-42.' },
      );
      const result = await runCodex(home, workspace, 'What is in input.txt?');

      expect(result.code, describeRun(result)).toBe(0);
      expect(completed(result, 'agent_message').map((item) => item.text)).toEqual(['The file says kestrel-secret-42.']);
      expect(completed(result, 'command_execution'), describeRun(result)).toHaveLength(1);
      expect(calls).toHaveLength(2);
      const last = calls[1].messages[calls[1].messages.length - 1];
      expect(last, transcript(calls[1]).join('\n')).toMatchObject({ role: 'tool', callId: 'call_exec_cat', kind: 'function' });
      expect(messageText(last)).toContain('kestrel-secret-42');
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'continues a session with `codex exec resume --last`: the earlier turn is replayed from Codex\'s history',
    async () => {
      const { home, workspace, calls } = await setup();
      queue.push({ text: 'First answer.' }, { text: 'Second answer.' });
      const first = await runCodex(home, workspace, 'First question.', { keepSession: true });
      expect(first.code, describeRun(first)).toBe(0);
      const second = await runCodex(home, workspace, 'Second question.', { resume: true });
      expect(second.code, describeRun(second)).toBe(0);
      expect(completed(second, 'agent_message').map((item) => item.text)).toEqual(['Second answer.']);
      expect(completed(second, 'error').map((item) => item.message)).toEqual([]);

      expect(calls).toHaveLength(2);
      const lines = transcript(calls[1]);
      const firstQuestion = lines.indexOf('user: First question.');
      expect(firstQuestion, lines.join('\n')).toBeGreaterThan(0);
      expect(lines.indexOf('assistant: First answer.')).toBeGreaterThan(firstQuestion);
      expect(lines.at(-1)).toBe('user: Second question.');
    },
    RUN_TIMEOUT_MS * 2 + 30_000,
  );
});
