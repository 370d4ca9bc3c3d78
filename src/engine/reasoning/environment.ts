import type { ConfigFile } from '../../config/schema.js';
import { invalidRequest } from '../../protocol/errors.js';
import type { VerifierConfig } from './pro/verifier.js';
import { SteeringRegistry } from './steering.js';

/** Samples per Pro response unless the config says otherwise. */
export const DEFAULT_PRO_SAMPLES = 4;

/** A configured verifier, by name. */
export interface NamedVerifier {
  name: string;
  config: VerifierConfig;
}

/**
 * What reasoning needs from the server config, once per engine: Pro's sample count and verifiers,
 * and the registry of running responses that accept steering input.
 *
 * @example const reasoning = new ReasoningEnvironment({ reasoning: { pro: { samples: 8 } } });
 */
export class ReasoningEnvironment {
  readonly steering = new SteeringRegistry();
  readonly proSamples: number;
  /** Plan first at effort high and above (config `reasoning.planAtHighEffort`), not only for `-thinking` models. */
  readonly planAtHighEffort: boolean;
  readonly #verifiers: Record<string, VerifierConfig>;
  readonly #modelVerifiers: Map<string, string>;

  constructor(config: Pick<ConfigFile, 'reasoning' | 'models'> = {}) {
    this.proSamples = config.reasoning?.pro?.samples ?? DEFAULT_PRO_SAMPLES;
    this.planAtHighEffort = config.reasoning?.planAtHighEffort ?? true;
    this.#verifiers = config.reasoning?.pro?.verifiers ?? {};
    this.#modelVerifiers = new Map();
    for (const [name, entry] of Object.entries(config.models ?? {})) {
      if (!entry.verifier) continue;
      if (!this.#verifiers[entry.verifier]) throw new Error(`Model "${name}" names the verifier "${entry.verifier}", which is not under reasoning.pro.verifiers.`);
      this.#modelVerifiers.set(name, entry.verifier);
    }
  }

  /**
   * The verifier for a Pro response: the one the request names (400 when unknown), else the one the
   * model's config entry names (for `<model>-pro`, the entry of `<model>`), else none.
   */
  verifierFor(modelName: string, requested: string | null | undefined): NamedVerifier | undefined {
    if (requested) {
      const config = this.#verifiers[requested];
      if (!config) {
        const known = Object.keys(this.#verifiers);
        throw invalidRequest(`Unknown verifier '${requested}'. ${known.length ? `Configured verifiers: ${known.join(', ')}.` : 'No verifier is configured (reasoning.pro.verifiers in the config file).'}`, 'reasoning.verifier', 'unknown_verifier');
      }
      return { name: requested, config };
    }
    const name = this.#modelVerifiers.get(modelName) ?? this.#modelVerifiers.get(modelName.replace(/-(pro|thinking)$/, ''));
    return name ? { name, config: this.#verifiers[name] } : undefined;
  }
}
