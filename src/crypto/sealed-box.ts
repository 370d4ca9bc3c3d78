import { createCipheriv, createDecipheriv, randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const PREFIX = 'ksl1.';

/**
 * AES-256-GCM sealing of opaque blobs handed to clients (reasoning `encrypted_content`,
 * compaction items). Clients cannot read or alter them; a server with the same key can open them,
 * also after a restart.
 *
 * @example
 * const box = new SealedBox(key);
 * const blob = box.seal({ text: 'thinking…' });
 * box.open(blob); // { text: 'thinking…' }
 */
export class SealedBox {
  readonly #key: Buffer;
  /** A short, non-secret fingerprint of the key (to tell blobs from another server apart in errors). */
  readonly keyId: string;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The sealing key must be 32 bytes.');
    this.#key = key;
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** Encrypts a JSON-serialisable value into an opaque string. */
  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** Decrypts a blob made by {@link seal}; null when it was not made with this key or was altered. */
  open<T = unknown>(blob: string): T | null {
    if (!blob.startsWith(PREFIX)) return null;
    const raw = Buffer.from(blob.slice(PREFIX.length), 'base64url');
    if (raw.length < 29) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }

  /** Whether a string looks like one of Kestrel's sealed blobs (any key). */
  static isSealed(blob: string): boolean {
    return blob.startsWith(PREFIX);
  }
}

/**
 * Loads the server key: `secret` (base64 or hex, 32 bytes) when given, else `keyFile`, creating it
 * (mode 0600) with a fresh random key on first start.
 */
export function loadOrCreateKey(keyFile: string, secret?: string): Buffer {
  if (secret) {
    const decoded = /^[0-9a-f]{64}$/i.test(secret) ? Buffer.from(secret, 'hex') : Buffer.from(secret, 'base64');
    if (decoded.length !== 32) throw new Error('KESTREL_SECRET_KEY must be 32 bytes, base64 or hex encoded.');
    return decoded;
  }
  if (existsSync(keyFile)) {
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`The key file ${keyFile} is damaged: expected 32 bytes of base64.`);
    return key;
  }
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}
