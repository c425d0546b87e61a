import { describe, expect, it } from 'vitest';
import { tone, totals } from './api';

describe('warehouse upload helpers', () => {
  it('adds up rows and discards over the tables and counts failed ones', () => {
    expect(
      totals([
        { table: 'tracks', status: 'exported', rows: 10, discards: 0, error: null },
        { table: 'order_completed', status: 'exported', rows: 10, discards: 2, error: null },
        { table: 'identifies', status: 'failed', rows: 0, discards: 0, error: 'boom' },
      ]),
    ).toEqual({ rows: 20, discards: 2, failed: 1 });
  });

  it('gives each state a tone', () => {
    expect(tone('exported')).toBe('ok');
    expect(tone('aborted')).toBe('bad');
    expect(tone('failed')).toBe('warn');
    expect(tone('waiting')).toBe('off');
  });
});
