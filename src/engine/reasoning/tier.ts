import type { ModelRegistry, ResolvedModel } from '../model-registry.js';

/** How much test-time compute a response gets: as asked, Thinking (plan first, high effort) or Pro (N samples). */
export type ReasoningTier = 'standard' | 'thinking' | 'pro';

const TIER_SUFFIX = /^(.+)-(thinking|pro)$/;

/**
 * Resolves a public model name, reading a `-thinking` or `-pro` suffix as a tier of the base model
 * (`gpt-5.4-pro` is Pro over `gpt-5.4`). A name a backend lists or the config maps as it is (OpenAI's
 * own `gpt-5.4-pro`, say) stays that model. The resolved model keeps the full public name.
 *
 * @example
 * await resolveModelTier('qwen3:8b-pro', registry) // { model: { publicName: 'qwen3:8b-pro', backendModel: 'qwen3:8b', … }, tier: 'pro' }
 */
export async function resolveModelTier(name: string, registry: ModelRegistry): Promise<{ model: ResolvedModel; tier: ReasoningTier }> {
  const suffix = TIER_SUFFIX.exec(name);
  if (suffix && !registry.list().some((model) => model.publicName === name)) {
    const base = registry.resolve(suffix[1]);
    if (base) return { model: { ...base, publicName: name }, tier: suffix[2] as ReasoningTier };
  }
  return { model: await registry.require(name), tier: 'standard' };
}
