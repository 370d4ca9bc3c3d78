import { Ajv, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: false });
const cache = new Map<string, ValidateFunction | null>();

/**
 * Whether `text` is JSON valid for `schema`, for output decoded under a grammar that could not say
 * the whole schema (numeric bounds, `uniqueItems`…). A schema Ajv cannot compile accepts anything.
 *
 * @example jsonMatchesSchema('{"n":3}', { type: 'object', properties: { n: { maximum: 2 } } }) // false
 */
export function jsonMatchesSchema(text: string, schema: unknown): boolean {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema as object);
    } catch {
      validate = null;
    }
    if (cache.size > 256) cache.clear();
    cache.set(key, validate);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return validate ? Boolean(validate(value)) : true;
}
