import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { GgufFileType, readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';

/**
 * Local GGUF files: finding them, naming them, reading what `kestrel models` shows, and refusing
 * bad files with a message that says what is wrong (missing, not GGUF, truncated, unreadable).
 */

/** A model file (or the parts of a split model) under a public name. */
export interface LocalModel {
  /** Public name: the file name without `.gguf` (and without `-00001-of-00003`), with its folder when nested. */
  name: string;
  /** The file to load (the first part of a split model). */
  path: string;
  /** Every part, in order. */
  parts: string[];
}

export interface ModelDetails extends LocalModel {
  sizeBytes: number;
  /** e.g. `Q4_K_M`, `F16`; null when unknown. */
  quantisation: string | null;
  /** Training context from the metadata. */
  contextLength: number | null;
  architecture: string | null;
  /** Why the file cannot be loaded, when it cannot. */
  error: string | null;
}

/** Why a model file cannot be used, with the HTTP status requests for it get. */
export class ModelFileError extends Error {
  constructor(
    readonly kind: 'missing' | 'not-gguf' | 'truncated' | 'unreadable' | 'unsupported' | 'too-large',
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }

  get status(): number {
    return this.kind === 'missing' ? 404 : 500;
  }
}

const SPLIT = /^(.*)-(\d{5})-of-(\d{5})$/;
const MAX_DEPTH = 3;

function* ggufFiles(dir: string, depth = 0): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.')) yield* ggufFiles(path, depth + 1);
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.gguf')) yield path;
  }
}

/**
 * Lists the models in `dir` (recursively, 3 levels) plus the explicitly named `files`.
 *
 * @example scanModels('.kestrel/models', {}) // [{ name: 'qwen2.5-0.5b-instruct-q4_k_m', path: '…', parts: ['…'] }]
 */
export function scanModels(dir: string | null, files: Record<string, string> = {}): LocalModel[] {
  const groups = new Map<string, { path: string; part: number; count: number }[]>();
  for (const path of dir ? ggufFiles(dir) : []) {
    const stem = relative(dir!, path).split(sep).join('/').replace(/\.gguf$/i, '');
    const split = SPLIT.exec(stem);
    const name = split ? split[1] : stem;
    const list = groups.get(name) ?? [];
    list.push({ path, part: split ? Number(split[2]) : 1, count: split ? Number(split[3]) : 1 });
    groups.set(name, list);
  }
  const models: LocalModel[] = [];
  for (const [name, list] of groups) {
    list.sort((a, b) => a.part - b.part);
    models.push({ name, path: list[0].path, parts: list.map((entry) => entry.path) });
  }
  for (const [name, path] of Object.entries(files)) {
    const split = SPLIT.exec(basename(path).replace(/\.gguf$/i, ''));
    const parts = split ? Array.from({ length: Number(split[3]) }, (_, i) => path.replace(`-${split[2]}-of-`, `-${String(i + 1).padStart(5, '0')}-of-`)) : [path];
    models.push({ name, path: parts[0], parts });
  }
  return models.sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether `dir` holds at least one GGUF file. */
export function hasModels(dir: string): boolean {
  return !ggufFiles(dir).next().done;
}

/** Bytes per block and values per block of ggml tensor types, to know where a file's data must end. */
const TYPE_SIZES: Record<number, [number, number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  16: [66, 256], 17: [74, 256], 18: [98, 256], 19: [50, 256], 20: [18, 32], 21: [110, 256], 22: [82, 256],
  23: [136, 256], 24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 29: [56, 256], 30: [2, 1],
  34: [54, 256], 35: [66, 256], 39: [17, 32],
};

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}
export { formatBytes };

function readMagic(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const read = readSync(fd, buffer, 0, 4, 0);
    return buffer.subarray(0, read).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that a model's files exist, are GGUF and are complete, and returns their parsed header.
 * Throws {@link ModelFileError} with a message meant for the person who put the file there.
 *
 * @example const info = await checkModelFile(model);
 */
export async function checkModelFile(model: LocalModel): Promise<GgufFileInfo> {
  for (const part of model.parts) {
    if (!existsSync(part)) throw new ModelFileError('missing', `The model file ${part} does not exist.`);
    const magic = readMagic(part);
    if (magic !== 'GGUF') {
      const shown = JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '?'));
      throw new ModelFileError('not-gguf', `${part} is not a GGUF file: it starts with ${shown}, and GGUF files start with "GGUF".`);
    }
  }
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(model.path, { readTensorInfo: true, logWarnings: false, sourceType: 'filesystem' });
  } catch (error) {
    throw new ModelFileError('unreadable', `${model.path} cannot be read as GGUF: ${(error as Error).message} (the file may be truncated or damaged).`);
  }
  // The header can be intact while tensor data is missing (an interrupted copy or download).
  const needed = new Map<number, number>();
  for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    const size = TYPE_SIZES[tensor.ggmlType];
    const values = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
    const end = Number(tensor.fileOffset) + (size ? Math.ceil(values / size[1]) * size[0] : 0);
    needed.set(tensor.filePart, Math.max(needed.get(tensor.filePart) ?? 0, end));
  }
  for (const [index, part] of model.parts.entries()) {
    const have = statSync(part).size;
    const need = needed.get(index + 1) ?? 0;
    if (have < need) {
      throw new ModelFileError('truncated', `${part} is truncated: it has ${formatBytes(have)} of the ${formatBytes(need)} its tensors need (an interrupted download or copy; run \`kestrel pull\` again or replace the file).`);
    }
  }
  return info;
}

/** The quantisation name of a GGUF (`Q4_K_M`), from `general.file_type`. */
export function quantisationName(info: GgufFileInfo): string | null {
  const type = info.metadata.general?.file_type;
  if (typeof type !== 'number') return null;
  const name = GgufFileType[type];
  return name ? name.replace(/^(MOSTLY|ALL)_/, '') : null;
}

/**
 * Reads what `kestrel models` shows about a model; a bad file gets `error` instead of throwing.
 *
 * @example const details = await describeModel(model); console.log(details.quantisation, details.contextLength);
 */
export async function describeModel(model: LocalModel): Promise<ModelDetails> {
  const sizeBytes = model.parts.reduce((total, part) => total + (existsSync(part) ? statSync(part).size : 0), 0);
  const details: ModelDetails = { ...model, sizeBytes, quantisation: null, contextLength: null, architecture: null, error: null };
  try {
    const info = await checkModelFile(model);
    details.quantisation = quantisationName(info);
    details.architecture = info.metadata.general?.architecture ?? null;
    const context = (info.architectureMetadata as { context_length?: unknown }).context_length;
    details.contextLength = typeof context === 'number' ? context : null;
  } catch (error) {
    details.error = error instanceof ModelFileError ? error.message : (error as Error).message;
  }
  return details;
}
