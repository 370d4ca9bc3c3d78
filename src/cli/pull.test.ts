import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../backends/llama-cpp/__fixtures__/tiny-gguf.js';
import { chooseGguf, quantOfName, type HubFile } from './huggingface.js';
import { modelsCommand } from './models.js';
import { pullCommand } from './pull.js';

/**
 * `kestrel pull` against a local server that answers like the Hugging Face Hub: the file tree API
 * (with LFS sha256), `resolve/main/<file>` redirecting to a CDN path that honours Range requests.
 */

interface Hub {
  files: Map<string, Buffer>;
  /** Published sha256 per file (defaults to the real one). */
  sha: Map<string, string>;
  /** Cut the next download after this many bytes. */
  dropAfter: number | null;
  /** Range headers of the downloads, in order ('' for none). */
  ranges: string[];
}

const REPO = 'kestrel-test/Tiny-GGUF';
let server: Server;
let endpoint: string;
let gguf: Buffer;
const hub: Hub = { files: new Map(), sha: new Map(), dropAfter: null, ranges: [] };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-hub-'));
  writeTinyGguf(join(dir, 'tiny.gguf'));
  gguf = readFileSync(join(dir, 'tiny.gguf'));
  rmSync(dir, { recursive: true, force: true });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const tree = new RegExp(`^/api/models/${REPO}/tree/main$`).exec(url.pathname);
    if (tree) {
      const entries = [...hub.files].map(([path, content]) => ({
        type: 'file',
        path,
        size: content.length,
        oid: createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'),
        lfs: { oid: hub.sha.get(path) ?? createHash('sha256').update(content).digest('hex'), size: content.length, pointerSize: 134 },
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([...entries, { type: 'file', path: 'README.md', size: 5, oid: 'abc' }, { type: 'directory', path: 'docs' }]));
      return;
    }
    const resolve = new RegExp(`^/${REPO}/resolve/main/(.+)$`).exec(url.pathname);
    if (resolve) {
      res.writeHead(302, { location: `/cdn/${resolve[1]}` }).end();
      return;
    }
    const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
    const content = cdn ? hub.files.get(decodeURIComponent(cdn[1])) : undefined;
    if (!content) {
      res.writeHead(404).end('{"error":"not found"}');
      return;
    }
    const range = req.headers.range ?? '';
    hub.ranges.push(range);
    const start = /^bytes=(\d+)-$/.exec(range) ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
    if (start >= content.length) {
      res.writeHead(416, { 'content-range': `bytes */${content.length}` }).end();
      return;
    }
    const body = content.subarray(start);
    res.writeHead(start ? 206 : 200, { 'content-length': String(body.length), ...(start ? { 'content-range': `bytes ${start}-${content.length - 1}/${content.length}` } : {}) });
    if (hub.dropAfter !== null) {
      const cut = hub.dropAfter;
      hub.dropAfter = null;
      res.write(body.subarray(0, cut), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let dataDir: string;
let out: string[];
let err: string[];
let progress: string;
const io = () => ({ out: (line: string) => out.push(line), err: (line: string) => err.push(line), progress: { write: (text: string) => (progress += text), tty: false } });
const env = () => ({ HF_ENDPOINT: endpoint, KESTREL_DATA_DIR: dataDir });

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kestrel-pull-'));
  out = [];
  err = [];
  progress = '';
  hub.files = new Map([
    ['tiny-Q4_K_M.gguf', gguf],
    ['tiny-Q8_0.gguf', gguf],
    ['mmproj-tiny-F16.gguf', Buffer.from('projector')],
  ]);
  hub.sha.clear();
  hub.dropAfter = null;
  hub.ranges = [];
});

afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('kestrel pull', () => {
  it('downloads the asked quantisation into <data-dir>/models, with progress and a checked sha256', async () => {
    expect(await pullCommand([`${REPO}:Q8_0`], io(), env())).toBe(0);
    const saved = join(dataDir, 'models', 'tiny-Q8_0.gguf');
    expect(readFileSync(saved).equals(gguf)).toBe(true);
    expect(existsSync(`${saved}.part`)).toBe(false);
    expect(progress).toContain('tiny-Q8_0.gguf 100%');
    expect(out.join('\n')).toContain('model name "tiny-Q8_0"');
  });

  it('takes Q4_K_M when there are several and none was asked for; names the choices when the asked one is missing', async () => {
    expect(await pullCommand([REPO], io(), env())).toBe(0);
    expect(existsSync(join(dataDir, 'models', 'tiny-Q4_K_M.gguf'))).toBe(true);
    expect(await pullCommand([`${REPO}:Q2_K`], io(), env())).toBe(1);
    expect(err.join('\n')).toContain(`${REPO} has no Q2_K GGUF. Available: Q4_K_M, Q8_0.`);
  });

  it('resumes a broken download with an HTTP Range request', async () => {
    hub.dropAfter = 100_000;
    expect(await pullCommand([`${REPO}:Q4_K_M`], io(), env())).toBe(0);
    expect(hub.ranges).toEqual(['', 'bytes=100000-']);
    expect(readFileSync(join(dataDir, 'models', 'tiny-Q4_K_M.gguf')).equals(gguf)).toBe(true);
  });

  it('resumes from the .part file an earlier run left', async () => {
    mkdirSync(join(dataDir, 'models'));
    writeFileSync(join(dataDir, 'models', 'tiny-Q4_K_M.gguf.part'), gguf.subarray(0, 12_345));
    expect(await pullCommand([`${REPO}:Q4_K_M`], io(), env())).toBe(0);
    expect(hub.ranges).toEqual(['bytes=12345-']);
    expect(progress).toContain('resumed');
    expect(readFileSync(join(dataDir, 'models', 'tiny-Q4_K_M.gguf')).equals(gguf)).toBe(true);
  });

  it('refuses a file whose sha256 does not match, and removes it', async () => {
    hub.sha.set('tiny-Q4_K_M.gguf', '0'.repeat(64));
    expect(await pullCommand([`${REPO}:Q4_K_M`], io(), env())).toBe(1);
    expect(err.join('\n')).toMatch(/tiny-Q4_K_M\.gguf failed its sha256 check \(expected 0{64}, got [0-9a-f]{64}\); the download was removed/);
    expect(existsSync(join(dataDir, 'models', 'tiny-Q4_K_M.gguf'))).toBe(false);
    expect(existsSync(join(dataDir, 'models', 'tiny-Q4_K_M.gguf.part'))).toBe(false);
  });

  it('says clearly when the Hub cannot be reached, or the repository does not exist', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await pullCommand([`${REPO}:Q4_K_M`], io(), { ...env(), HF_ENDPOINT: `http://127.0.0.1:${port}` })).toBe(1);
    expect(err.join('\n')).toContain(`kestrel pull: cannot reach http://127.0.0.1:${port} (ECONNREFUSED). Check the internet connection, or set HF_ENDPOINT to a Hugging Face mirror.`);
    err = [];
    expect(await pullCommand(['nobody/Nothing-GGUF'], io(), env())).toBe(1);
    expect(err.join('\n')).toContain('nobody/Nothing-GGUF was not found on the Hugging Face Hub (HTTP 404)');
  });

  it('explains its arguments', async () => {
    expect(await pullCommand([], io(), env())).toBe(2);
    expect(err.join('\n')).toContain('OWNER/REPO[:QUANT]');
  });
});

describe('choosing a GGUF', () => {
  const file = (path: string): HubFile => ({ path, size: 1 });

  it('reads quantisations from file names', () => {
    expect(quantOfName('qwen2.5-0.5b-instruct-q4_k_m.gguf')).toBe('Q4_K_M');
    expect(quantOfName('Meta-Llama-3.1-8B-Instruct-IQ2_XS.gguf')).toBe('IQ2_XS');
    expect(quantOfName('model-f16-00001-of-00002.gguf')).toBe('F16');
    expect(quantOfName('Q8_0/model-00001-of-00002.gguf')).toBe('Q8_0');
  });

  it('keeps the parts of a split model together', () => {
    const choice = chooseGguf('r', [file('big-Q8_0-00002-of-00002.gguf'), file('big-Q8_0-00001-of-00002.gguf'), file('small-Q4_K_M.gguf')], 'q8_0');
    expect(choice.parts.map((part) => part.path)).toEqual(['big-Q8_0-00001-of-00002.gguf', 'big-Q8_0-00002-of-00002.gguf']);
  });

  it('asks which one when nothing decides', () => {
    expect(() => chooseGguf('r', [file('a-Q3_K_L.gguf'), file('a-IQ4_XS.gguf')])).toThrow('r has several GGUF files: Q3_K_L, IQ4_XS. Choose one: kestrel pull r:<quant>.');
    expect(() => chooseGguf('r', [file('README.md')])).toThrow('r has no GGUF files');
  });
});

describe('kestrel models', () => {
  it('lists local models with size, quantisation and context length from their metadata, and bad files with the reason', async () => {
    mkdirSync(join(dataDir, 'models'));
    writeFileSync(join(dataDir, 'models', 'tiny.gguf'), gguf);
    writeFileSync(join(dataDir, 'models', 'notes.gguf'), 'not a model');
    expect(await modelsCommand([], io(), env())).toBe(0);
    expect(out[0]).toMatch(/^NAME\s+SIZE\s+QUANT\s+CONTEXT\s+ARCH\s+STATUS$/);
    expect(out.find((line) => line.startsWith('tiny'))).toMatch(/^tiny\s+\d+\.\d KiB\s+F32\s+4096\s+llama\s+ok$/);
    expect(out.find((line) => line.startsWith('notes'))).toMatch(/notes\.gguf is not a GGUF file/);
    out = [];
    expect(await modelsCommand(['--json'], io(), env())).toBe(0);
    const listed = JSON.parse(out.join('\n')) as { name: string; quantisation: string | null; contextLength: number | null; sizeBytes: number }[];
    expect(listed.find((model) => model.name === 'tiny')).toMatchObject({ quantisation: 'F32', contextLength: 4096, sizeBytes: gguf.length });
  });

  it('says how to get a model when there is none', async () => {
    expect(await modelsCommand([], io(), env())).toBe(0);
    expect(out.join('\n')).toContain('No local models');
  });
});
