import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeModel, formatBytes, scanModels, type LocalModel, type ModelDetails } from '../backends/llama-cpp/index.js';
import { loadConfigFile } from '../config/load.js';
import type { ConfigFile } from '../config/schema.js';
import { resolveDataDir, type CommandIO } from './pull.js';

export const MODELS_HELP = `kestrel models — list the local GGUF models \`kestrel serve\` offers

Usage:
  kestrel models [--data-dir DIR] [--config FILE] [--json]

Lists the GGUF files of <data-dir>/models and of the config's llama-cpp backends (modelsDir,
files) with size, quantisation and context length read from each file's metadata; a file that
cannot be loaded is listed with the reason.`;

/** The model files of the data dir and of the config's llama-cpp backends, by backend. */
function localModels(dataDir: string, config: ConfigFile | undefined): { backend: string; model: LocalModel }[] {
  const out: { backend: string; model: LocalModel }[] = [];
  const seen = new Set<string>();
  const add = (backend: string, models: LocalModel[]) => {
    for (const model of models) {
      if (seen.has(model.path)) continue;
      seen.add(model.path);
      out.push({ backend, model });
    }
  };
  const defaultDir = join(dataDir, 'models');
  for (const [name, entry] of Object.entries(config?.backends ?? {})) {
    if (entry.type !== 'llama-cpp') continue;
    const files = (entry.files ?? {}) as Record<string, string>;
    add(name, scanModels(typeof entry.modelsDir === 'string' ? entry.modelsDir : defaultDir, files));
  }
  add('local', scanModels(defaultDir));
  return out;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}

/**
 * `kestrel models`: prints the local models with size, quantisation and context length. Resolves to the exit code.
 *
 * @example await modelsCommand([], { out: console.log, err: console.error })
 */
export async function modelsCommand(argv: string[], io: CommandIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: false, options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`kestrel models: ${(error as Error).message}\n\n${MODELS_HELP}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.out(MODELS_HELP);
    return 0;
  }
  let found: { backend: string; model: LocalModel }[];
  let dataDir: string;
  try {
    const config = values.config ? loadConfigFile(values.config) : undefined;
    dataDir = resolveDataDir(values['data-dir'], values.config, env);
    found = localModels(dataDir, config);
  } catch (error) {
    io.err(`kestrel models: ${(error as Error).message}`);
    return 1;
  }
  const details: (ModelDetails & { backend: string })[] = [];
  for (const { backend, model } of found) details.push({ ...(await describeModel(model)), backend });
  if (values.json) {
    io.out(JSON.stringify(details.map(({ name, backend, path, sizeBytes, quantisation, contextLength, architecture, error }) => ({ name, backend, path, sizeBytes, quantisation, contextLength, architecture, error })), null, 2));
    return 0;
  }
  if (!details.length) {
    io.out(`No local models in ${join(dataDir, 'models')}. Download one with: kestrel pull Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M`);
    return 0;
  }
  const rows = [['NAME', 'SIZE', 'QUANT', 'CONTEXT', 'ARCH', 'STATUS']];
  for (const model of details) {
    const name = model.backend === 'local' ? model.name : `${model.name} (${model.backend})`;
    rows.push([name, formatBytes(model.sizeBytes), model.quantisation ?? '-', model.contextLength ? String(model.contextLength) : '-', model.architecture ?? '-', model.error ?? 'ok']);
  }
  for (const line of table(rows)) io.out(line);
  return 0;
}
