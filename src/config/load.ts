import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigFile } from './schema.js';
import { paramPath } from '../protocol/validation.js';

/**
 * Reads and validates a JSON or YAML config file. Throws an Error whose message names the file and
 * the offending key, ready to print.
 *
 * @example const config = loadConfigFile('kestrel.yaml');
 */
export function loadConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new Error(`The config file ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  return parseConfig(raw ?? {}, path);
}

/** Validates an already-parsed config object. */
export function parseConfig(raw: unknown, source = 'config'): ConfigFile {
  const result = ConfigFile.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`Invalid ${source}: ${paramPath(issue.path) ?? '(root)'}: ${issue.message}`);
}
