import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../protocol/errors.js';

export interface ApiKeySpec {
  /** The key in plain text (hashed on load, never kept). */
  key?: string;
  /** Or its SHA-256, hex. */
  sha256?: string;
  name?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Optional API-key authentication. Keys are held only as SHA-256 hashes; a request's owner id is
 * derived from the hash, so a key sees only its own responses and conversations.
 *
 * @example const auth = new ApiKeyAuth(['sk-local-123']); auth.owner('Bearer sk-local-123')
 */
export class ApiKeyAuth {
  readonly #hashes: Buffer[];

  constructor(keys: (string | ApiKeySpec)[]) {
    this.#hashes = keys.map((entry) => {
      const spec = typeof entry === 'string' ? (entry.startsWith('sha256:') ? { sha256: entry.slice(7) } : { key: entry }) : entry;
      if (spec.sha256) return Buffer.from(spec.sha256, 'hex');
      if (spec.key) return sha256(spec.key);
      throw new Error('Each API key entry needs `key` or `sha256`.');
    });
  }

  get enabled(): boolean {
    return this.#hashes.length > 0;
  }

  /**
   * The owner id for a request's credentials: `''` when auth is off, else a stable id derived
   * from the key hash. Throws a 401 for a missing or unknown key.
   */
  owner(authorization: string | undefined, apiKeyHeader?: string): string {
    if (!this.enabled) return '';
    const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : apiKeyHeader?.trim();
    if (!presented) {
      throw new ApiError(401, "You didn't provide an API key. Send it as `Authorization: Bearer YOUR_KEY`.", { type: 'invalid_request_error', code: 'missing_api_key' });
    }
    const hash = sha256(presented);
    for (const known of this.#hashes) {
      if (known.length === hash.length && timingSafeEqual(known, hash)) return `key_${hash.toString('hex').slice(0, 24)}`;
    }
    throw new ApiError(401, `Incorrect API key provided: ${redact(presented)}.`, { type: 'invalid_request_error', code: 'invalid_api_key' });
  }
}

function redact(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 3)}****${key.slice(-4)}`;
}
