import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, openSync, closeSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';

/**
 * What `kestrel pull` needs of the Hugging Face Hub: the file list of a model repository (with the
 * LFS sha256 of each large file), the choice of a GGUF by quantisation, and resumable, verified
 * downloads (HTTP Range into a `.part` file, sha256 checked before the file gets its name).
 */

/** A file of a repository, as the Hub lists it. */
export interface HubFile {
  path: string;
  size: number;
  /** sha256 of the content, for LFS files. */
  sha256?: string;
  /** Git blob id (sha1 of `blob <size>\0<content>`), for files stored in Git itself. */
  gitOid?: string;
}

/** A failure with a message for the person who typed the command. */
export class PullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PullError';
  }
}

export interface HubOptions {
  /** `https://huggingface.co`, or a mirror (HF_ENDPOINT). */
  endpoint: string;
  /** HF_TOKEN, for gated or private repositories. */
  token?: string;
  fetch?: typeof fetch;
}

function headers(options: HubOptions, extra: Record<string, string> = {}): Record<string, string> {
  return { 'user-agent': 'kestrel-pull', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...extra };
}

function unreachable(url: string, error: unknown): PullError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  const origin = new URL(url).origin;
  return new PullError(`cannot reach ${origin} (${why}). Check the internet connection, or set HF_ENDPOINT to a Hugging Face mirror.`);
}

async function request(url: string, options: HubOptions, init: RequestInit = {}): Promise<Response> {
  try {
    return await (options.fetch ?? fetch)(url, { ...init, headers: { ...headers(options), ...(init.headers as Record<string, string> | undefined) }, redirect: 'follow' });
  } catch (error) {
    throw unreachable(url, error);
  }
}

function statusError(response: Response, repo: string): PullError {
  if (response.status === 401 || response.status === 403) {
    return new PullError(`${repo} needs access (HTTP ${response.status}): accept its terms on huggingface.co if it is gated, and set HF_TOKEN to a token that can read it.`);
  }
  if (response.status === 404) return new PullError(`${repo} was not found on the Hugging Face Hub (HTTP 404). Check the name: owner/repository, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF.`);
  return new PullError(`the Hugging Face Hub answered HTTP ${response.status} for ${repo}.`);
}

/**
 * Lists the files of a model repository (recursively) with their sizes and hashes.
 *
 * @example await listRepoFiles('Qwen/Qwen2.5-0.5B-Instruct-GGUF', { endpoint: 'https://huggingface.co' })
 */
export async function listRepoFiles(repo: string, options: HubOptions, revision = 'main'): Promise<HubFile[]> {
  const url = `${options.endpoint}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
  const response = await request(url, options);
  if (!response.ok) throw statusError(response, repo);
  const entries = (await response.json()) as { type?: string; path?: string; size?: number; oid?: string; lfs?: { oid?: string; size?: number } }[];
  if (!Array.isArray(entries)) throw new PullError(`the Hugging Face Hub sent an unexpected file list for ${repo}.`);
  return entries
    .filter((entry) => entry.type === 'file' && typeof entry.path === 'string')
    .map((entry) => ({
      path: entry.path!,
      size: entry.lfs?.size ?? entry.size ?? 0,
      sha256: entry.lfs?.oid,
      gitOid: entry.lfs ? undefined : entry.oid,
    }));
}

const QUANT = /(?:^|[-_./])((?:I?Q\d+(?:_[A-Z0-9]+)*)|MXFP4(?:_MOE)?|BF16|F16|F32)(?=[-_./]|$)/i;
const SPLIT = /-(\d{5})-of-(\d{5})\.gguf$/i;
/** Quantisations picked when a repository has several and none was asked for, best first. */
const PREFERRED = ['Q4_K_M', 'Q4_K_S', 'Q5_K_M', 'Q4_0', 'Q5_K_S', 'Q6_K', 'Q8_0', 'Q3_K_M', 'F16', 'BF16'];

/** The quantisation a GGUF file name says (`qwen2.5-0.5b-instruct-q4_k_m.gguf` → `Q4_K_M`). */
export function quantOfName(path: string): string | null {
  const name = path.split('/').pop()!.replace(SPLIT, '').replace(/\.gguf$/i, '');
  const match = QUANT.exec(name) ?? QUANT.exec(path.replace(/\.gguf$/i, ''));
  return match ? match[1].toUpperCase() : null;
}

/** One model of a repository: a GGUF file, or the parts of a split one. */
export interface GgufChoice {
  quant: string | null;
  parts: HubFile[];
}

/**
 * Picks the GGUF to download: the one with the asked quantisation, the only one, or the preferred
 * quantisation among several. Throws PullError listing what there is when the choice is unclear.
 *
 * @example chooseGguf(files, 'Q4_K_M')
 */
export function chooseGguf(repo: string, files: HubFile[], quant?: string): GgufChoice {
  const groups = new Map<string, GgufChoice>();
  for (const file of files) {
    const name = file.path.split('/').pop()!;
    if (!/\.gguf$/i.test(name) || /^mmproj/i.test(name)) continue;
    const split = SPLIT.exec(file.path);
    if (split && split[1] !== '00001' && !files.some((other) => other.path === file.path.replace(SPLIT, `-00001-of-${split[2]}.gguf`))) continue;
    const key = file.path.replace(SPLIT, '');
    const group = groups.get(key) ?? { quant: quantOfName(file.path), parts: [] };
    group.parts.push(file);
    groups.set(key, group);
  }
  const choices = [...groups.values()].map((choice) => ({ ...choice, parts: choice.parts.sort((a, b) => a.path.localeCompare(b.path)) }));
  if (!choices.length) throw new PullError(`${repo} has no GGUF files. Kestrel runs GGUF models: look for a repository whose name ends in -GGUF.`);
  const list = () => choices.map((choice) => choice.quant ?? choice.parts[0].path).join(', ');
  if (quant) {
    const wanted = quant.toUpperCase();
    const matches = choices.filter((choice) => choice.quant === wanted || choice.parts[0].path.toUpperCase().includes(wanted));
    if (matches.length === 1) return matches[0];
    if (!matches.length) throw new PullError(`${repo} has no ${quant} GGUF. Available: ${list()}.`);
    const exact = matches.filter((choice) => choice.quant === wanted);
    if (exact.length === 1) return exact[0];
    throw new PullError(`${repo} has several files for ${quant}: ${matches.map((choice) => choice.parts[0].path).join(', ')}. Name one exactly with --file.`);
  }
  if (choices.length === 1) return choices[0];
  for (const preferred of PREFERRED) {
    const found = choices.filter((choice) => choice.quant === preferred);
    if (found.length === 1) return found[0];
  }
  throw new PullError(`${repo} has several GGUF files: ${list()}. Choose one: kestrel pull ${repo}:<quant>.`);
}

export interface DownloadProgress {
  /** Bytes on disk so far (resumed bytes included). */
  done: number;
  total: number;
  /** Bytes that were already there when this download started. */
  resumedFrom: number;
}

export interface DownloadOptions extends HubOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Attempts after a broken connection, each resuming where the last stopped (default 3). */
  retries?: number;
  signal?: AbortSignal;
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/**
 * Downloads one repository file to `target`: into `target.part` first, resuming what an earlier
 * attempt left there with an HTTP Range request, then checks size and hash and renames it.
 * A hash mismatch removes the part file (starting over is the only cure).
 *
 * @example await downloadFile('owner/repo', file, '/models/x.gguf', { endpoint: 'https://huggingface.co' })
 */
export async function downloadFile(repo: string, file: HubFile, target: string, options: DownloadOptions, revision = 'main'): Promise<void> {
  const part = `${target}.part`;
  const url = `${options.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file.path.split('/').map(encodeURIComponent).join('/')}`;
  const retries = options.retries ?? 3;
  let lastError: unknown = null;
  for (let attempt = 0; attempt <= retries; attempt++) {
    let have = existsSync(part) ? statSync(part).size : 0;
    if (have > file.size) {
      rmSync(part);
      have = 0;
    }
    try {
      if (have < file.size) await fetchInto(url, part, have, file, options);
      lastError = null;
      break;
    } catch (error) {
      if (error instanceof PullError) throw error;
      lastError = error;
      if (options.signal?.aborted) break;
    }
  }
  if (lastError) {
    const have = existsSync(part) ? statSync(part).size : 0;
    throw new PullError(`the download of ${file.path} broke off after ${retries + 1} attempts (${(lastError as Error).message}); ${have} of ${file.size} bytes are kept in ${part}, and running the same command again resumes there.`);
  }
  const size = statSync(part).size;
  if (size !== file.size) throw new PullError(`${file.path} came out ${size} bytes long instead of ${file.size}; ${part} was kept, run again to resume.`);
  await verify(part, file);
  renameSync(part, target);
}

async function fetchInto(url: string, part: string, have: number, file: HubFile, options: DownloadOptions): Promise<void> {
  const response = await request(url, options, { headers: have ? { range: `bytes=${have}-` } : {}, signal: options.signal });
  let offset = have;
  if (response.status === 416 && have === file.size) return;
  if (response.status === 200) offset = 0;
  else if (response.status !== 206) throw statusError(response, `${file.path}`);
  if (response.status === 206) {
    const range = /bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
    if (range && Number(range[1]) !== have) offset = 0;
  }
  const fd = openSync(part, offset === 0 ? 'w' : 'a');
  let done = offset;
  try {
    options.onProgress?.({ done, total: file.size, resumedFrom: have });
    if (!response.body) throw new Error('empty response body');
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      writeSync(fd, chunk);
      done += chunk.byteLength;
      options.onProgress?.({ done, total: file.size, resumedFrom: have });
    }
  } finally {
    closeSync(fd);
  }
  if (done < file.size) throw new Error(`connection closed after ${done} of ${file.size} bytes`);
}

async function verify(part: string, file: HubFile): Promise<void> {
  if (file.sha256) {
    const hash = createHash('sha256');
    await hashFile(part, hash);
    const got = hash.digest('hex');
    if (got !== file.sha256.toLowerCase()) {
      rmSync(part, { force: true });
      throw new PullError(`${file.path} failed its sha256 check (expected ${file.sha256}, got ${got}); the download was removed. Run the command again to download it afresh.`);
    }
    return;
  }
  if (file.gitOid) {
    const hash = createHash('sha1').update(`blob ${file.size}\0`);
    await hashFile(part, hash);
    const got = hash.digest('hex');
    if (got !== file.gitOid.toLowerCase()) {
      rmSync(part, { force: true });
      throw new PullError(`${file.path} failed its checksum (git blob ${file.gitOid}, got ${got}); the download was removed. Run the command again.`);
    }
  }
}
