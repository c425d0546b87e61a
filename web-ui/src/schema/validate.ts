import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from '../api/types';

// Validation of a destination config against its definition's JSON Schema, with each error keyed by the dotted
// path of the field it belongs to ("webhookUrl", "headers.0.to") so the form can show it beside that field.

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

export type FieldErrors = Record<string, string>;

/** How the config backend shows a stored secret; sent back unchanged it means "keep the stored value". */
export const SECRET_MASK = '********';

/**
 * Errors per field path. A secret field (dotted path of `secretKeys`, array indices skipped as RudderStack's
 * secretKeys do) that still holds the mask is not checked: the server keeps the stored, already valid, value.
 */
export function validate(schema: JsonSchema, value: unknown, secretKeys: string[] = []): FieldErrors {
  let check = compiled.get(schema);
  if (!check) {
    // the catalogue's schemas name various drafts; keywords used in forms mean the same in all of them
    const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
    void _ignored;
    check = ajv.compile(rest);
    compiled.set(schema, check);
  }
  if (check(value)) return {};
  const errors: FieldErrors = {};
  const secrets = new Set(secretKeys);
  for (const e of check.errors ?? []) {
    const path = errorPath(e);
    if (isKeptSecret(path, value, secrets)) continue;
    if (!(path in errors)) errors[path] = message(e);
  }
  return errors;
}

function isKeptSecret(path: string, value: unknown, secrets: Set<string>): boolean {
  const segments = path.split('.');
  if (!secrets.has(segments.filter((s) => !/^\d+$/.test(s)).join('.'))) return false;
  let at: unknown = value;
  for (const s of segments) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[s] : undefined;
  return at === SECRET_MASK;
}

function errorPath(e: ErrorObject): string {
  const base = e.instancePath.split('/').filter(Boolean).map(unescape).join('.');
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  return base;
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function message(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'pattern':
      return `must match ${(e.params as { pattern: string }).pattern}`;
    case 'enum':
      return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    case 'type':
      return `must be a ${(e.params as { type: string }).type}`;
    default:
      return e.message ?? 'is invalid';
  }
}

/** A config holding each property's default, for a new destination. */
export function defaults(schema: JsonSchema): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.default !== undefined) value[key] = prop.default;
    else if (kind(prop) === 'object' && prop.properties) value[key] = defaults(prop);
  }
  return value;
}

export type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'unknown';

export function kind(schema: JsonSchema): Kind {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean' || type === 'object' || type === 'array') {
    return type;
  }
  if (schema.enum) return 'string';
  if (schema.properties) return 'object';
  return 'unknown';
}
