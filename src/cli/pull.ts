import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes } from '../backends/llama-cpp/model-files.js';
import { loadConfigFile } from '../config/load.js';
import { chooseGguf, downloadFile, listRepoFiles, PullError, type DownloadProgress } from './huggingface.js';

export const PULL_HELP = `kestrel pull — download a GGUF model from Hugging Face into the data dir's models folder

Usage:
  kestrel pull OWNER/REPO[:QUANT] [--file NAME] [--data-dir DIR] [--config FILE]

  kestrel pull Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M

QUANT picks the file by quantisation (Q4_K_M, Q8_0, F16…); without it, the only GGUF of the
repository, or Q4_K_M when there are several. --file names the file exactly. An interrupted
download resumes where it stopped; every file is checked against the sha256 the Hub publishes.
The model is then served by \`kestrel serve\` under its file name (see \`kestrel models\`).
Environment: HF_TOKEN (gated or private repositories), HF_ENDPOINT (a mirror of huggingface.co).`;

export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where progress goes (stderr); `tty` redraws one line, otherwise a line every 10%. */
  progress?: { write: (text: string) => void; tty: boolean };
}

/** The data dir the server would use: --data-dir, the config's server.dataDir, KESTREL_DATA_DIR, ./.kestrel. */
export function resolveDataDir(flag: string | undefined, configPath: string | undefined, env: NodeJS.ProcessEnv): string {
  const config = configPath ? loadConfigFile(configPath) : undefined;
  return resolve(flag ?? config?.server?.dataDir ?? env.KESTREL_DATA_DIR ?? '.kestrel');
}

function progressBar(io: CommandIO, label: string): (progress: DownloadProgress) => void {
  const sink = io.progress ?? { write: (text: string) => process.stderr.write(text), tty: Boolean(process.stderr.isTTY) };
  const started = Date.now();
  let lastDraw = 0;
  let lastTenth = -1;
  return ({ done, total, resumedFrom }) => {
    const fraction = total ? done / total : 1;
    const now = Date.now();
    if (sink.tty) {
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const width = 28;
      const filled = Math.round(fraction * width);
      const seconds = Math.max((now - started) / 1000, 0.001);
      const rate = (done - resumedFrom) / seconds;
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      sink.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}% ${formatBytes(done)}/${formatBytes(total)} ${formatBytes(rate)}/s ETA ${eta}s   ${done >= total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    sink.write(`${label} ${tenth * 10}% (${formatBytes(done)} of ${formatBytes(total)})${resumedFrom && done === resumedFrom ? ', resumed' : ''}\n`);
  };
}

/**
 * `kestrel pull OWNER/REPO[:QUANT]`: downloads a GGUF into `<data-dir>/models`. Resolves to the exit code.
 *
 * @example await pullCommand(['Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M'], { out: console.log, err: console.error })
 */
export async function pullCommand(argv: string[], io: CommandIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { file: { type: 'string' }, 'data-dir': { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`kestrel pull: ${(error as Error).message}\n\n${PULL_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(PULL_HELP);
    return 0;
  }
  const spec = positionals[0];
  const match = spec ? /^([\w.-]+\/[\w.-]+)(?::([\w.-]+))?$/.exec(spec) : null;
  if (!match || positionals.length > 1) {
    io.err(`kestrel pull: give one Hugging Face repository as OWNER/REPO[:QUANT], e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M\n\n${PULL_HELP}`);
    return 2;
  }
  const [, repo, quant] = match;
  const hub = { endpoint: (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, ''), token: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined };
  try {
    const modelsDir = join(resolveDataDir(values['data-dir'], values.config, env), 'models');
    mkdirSync(modelsDir, { recursive: true });
    const files = await listRepoFiles(repo, hub);
    const choice = values.file
      ? { quant: null, parts: files.filter((file) => file.path === values.file || basename(file.path) === values.file) }
      : chooseGguf(repo, files, quant);
    if (!choice.parts.length) throw new PullError(`${repo} has no file named ${values.file}.`);
    const total = choice.parts.reduce((sum, file) => sum + file.size, 0);
    io.err(`${repo}: ${choice.parts.map((file) => file.path).join(', ')} (${formatBytes(total)})`);
    for (const file of choice.parts) {
      const target = join(modelsDir, basename(file.path));
      if (existsSync(target) && statSync(target).size === file.size) {
        io.err(`${basename(file.path)} is already downloaded.`);
        continue;
      }
      await downloadFile(repo, file, target, { ...hub, onProgress: progressBar(io, basename(file.path)) });
    }
    const first = join(modelsDir, basename(choice.parts[0].path));
    const name = basename(first).replace(/-\d{5}-of-\d{5}\.gguf$/i, '').replace(/\.gguf$/i, '');
    io.out(`Saved ${first}`);
    io.out(`Serve it with \`kestrel serve\` and use the model name "${name}" (\`kestrel models\` lists local models).`);
    return 0;
  } catch (error) {
    io.err(`kestrel pull: ${error instanceof PullError ? error.message : (error as Error).message}`);
    return 1;
  }
}
