import { Ajv, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: false });
const cache = new Map<string, ValidateFunction>();

/**
 * A checker for model output that must be JSON matching `schema`: returns null when valid,
 * else a short description of the first problem.
 *
 * @example jsonSchemaValidator({ type: 'object', required: ['a'] })('{"a":1}') // null
 */
export function jsonSchemaValidator(schema: Record<string, unknown>): (text: string) => string | null {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (cache.size > 500) cache.clear();
    cache.set(key, validate);
  }
  const check = validate;
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return `it is not JSON (${(error as Error).message})`;
    }
    if (check(value)) return null;
    const issue = check.errors?.[0];
    return issue ? `${issue.instancePath || '(root)'} ${issue.message ?? 'is invalid'}` : 'it does not match';
  };
}
