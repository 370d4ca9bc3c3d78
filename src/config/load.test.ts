import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './load.js';
import { setupBackends } from './backends.js';

const dir = mkdtempSync(join(tmpdir(), 'kestrel-config-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('config files', () => {
  it('reads YAML with backends, aliases and keys', async () => {
    const path = write(
      'kestrel.yaml',
      ['backends:', '  ollama: { type: openai-chat, baseURL: "http://127.0.0.1:11434/v1" }', 'models:', '  gpt-5.4: { backend: ollama, model: "qwen3:8b", contextWindow: 40960 }', 'auth:', '  apiKeys: [ "sk-local-123456" ]'].join('\n'),
    );
    const config = loadConfigFile(path);
    expect(config.models?.['gpt-5.4']).toMatchObject({ backend: 'ollama', model: 'qwen3:8b', contextWindow: 40960 });
    const setup = await setupBackends(config, { env: {}, detectOllama: false });
    expect([...setup.backends.keys()]).toEqual(['ollama']);
    expect(setup.backends.get('ollama')!.type).toBe('openai-chat');
  });

  it('reads JSON, and names the bad key of an invalid file', () => {
    expect(loadConfigFile(write('ok.json', '{"defaultBackend":"x"}')).defaultBackend).toBe('x');
    expect(() => loadConfigFile(write('bad.json', '{"backends":{"b":{"type":"carrier-pigeon"}}}'))).toThrow(/backends\.b\.type/);
    expect(() => loadConfigFile(write('broken.json', '{"backends":'))).toThrow(/not valid JSON/);
    expect(() => loadConfigFile(write('broken.yaml', 'backends: [unclosed'))).toThrow(/not valid YAML/);
  });

  it('--upstream becomes the default backend; environment keys are detected when nothing is configured', async () => {
    const upstream = await setupBackends({}, { upstream: 'http://127.0.0.1:9/v1/', env: {}, detectOllama: false });
    expect(upstream.defaultBackend).toBe('upstream');
    const env = await setupBackends({}, { env: { OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant' }, detectOllama: false });
    expect([...env.backends.values()].map((backend) => backend.type).sort()).toEqual(['anthropic', 'openai-responses']);
    expect(env.defaultBackend).toBeUndefined();
    const none = await setupBackends({}, { env: {}, detectOllama: false });
    expect(none.backends.size).toBe(0);
  });
});
