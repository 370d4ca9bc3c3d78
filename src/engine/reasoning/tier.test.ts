import { describe, expect, it } from 'vitest';
import { createScriptedBackend } from '../../backends/scripted/index.js';
import { ModelRegistry } from '../model-registry.js';
import { resolveModelTier } from './tier.js';

async function registry() {
  const backend = createScriptedBackend({ name: 'local', script: [{ text: 'x' }], models: ['qwen3:8b', 'gpt-5.4-pro'] });
  const models = new ModelRegistry(new Map([['local', backend]]), { models: { fast: { backend: 'local', model: 'qwen3:1.7b' } } });
  await models.refresh();
  return models;
}

describe('resolveModelTier', () => {
  it('reads -pro and -thinking as tiers of the base model, keeping the full public name', async () => {
    const models = await registry();
    const pro = await resolveModelTier('qwen3:8b-pro', models);
    expect(pro.tier).toBe('pro');
    expect(pro.model).toMatchObject({ publicName: 'qwen3:8b-pro', backendModel: 'qwen3:8b' });
    const thinking = await resolveModelTier('fast-thinking', models);
    expect(thinking.tier).toBe('thinking');
    expect(thinking.model).toMatchObject({ publicName: 'fast-thinking', backendModel: 'qwen3:1.7b' });
  });

  it('a model a backend lists under the full name stays that model (e.g. OpenAI serves gpt-5.4-pro itself)', async () => {
    const native = await resolveModelTier('gpt-5.4-pro', await registry());
    expect(native.tier).toBe('standard');
    expect(native.model.backendModel).toBe('gpt-5.4-pro');
  });

  it('plain names are standard; unknown names are the usual 404', async () => {
    const models = await registry();
    expect((await resolveModelTier('qwen3:8b', models)).tier).toBe('standard');
    await expect(resolveModelTier('nothing-pro', models)).rejects.toMatchObject({ status: 404 });
  });
});
