import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../api/types';
import { SECRET_MASK, validate } from './validate';

const slack: JsonSchema = {
  type: 'object',
  required: ['webhookUrl'],
  properties: {
    webhookUrl: { type: 'string', pattern: '^https://' },
    channel: { type: 'string', pattern: '^#' },
    headers: { type: 'array', items: { type: 'object', properties: { to: { type: 'string', pattern: '^x' } } } },
  },
};

describe('validate', () => {
  it('lets a masked secret through, since the server keeps the stored value', () => {
    expect(validate(slack, { webhookUrl: SECRET_MASK }, ['webhookUrl'])).toEqual({});
  });

  it('still checks a secret that was typed in', () => {
    expect(validate(slack, { webhookUrl: 'http://plain' }, ['webhookUrl'])).toEqual({ webhookUrl: 'must match ^https://' });
  });

  it('checks a field holding the mask text when that field is not a secret', () => {
    expect(validate(slack, { webhookUrl: 'https://ok', channel: SECRET_MASK }, ['webhookUrl'])).toEqual({
      channel: 'must match ^#',
    });
  });

  it('reads secret paths through arrays, as secretKeys name them', () => {
    const config = { webhookUrl: 'https://ok', headers: [{ to: SECRET_MASK }, { to: 'bad' }] };
    expect(validate(slack, config, ['headers.to'])).toEqual({ 'headers.1.to': 'must match ^x' });
  });
});
