import { describe, expect, it } from 'vitest';
import { snippets } from './snippets';

describe('source snippets', () => {
  it('gives the RudderStack JavaScript, Node and Java SDKs and curl, each with the write key and the gateway', () => {
    const all = snippets('wk123', 'http://gw.example:8080/');
    expect(all.map((s) => s.label)).toEqual(['JavaScript SDK', 'Node SDK', 'Java SDK', 'curl']);
    for (const s of all) {
      expect(s.code).toContain('wk123');
      expect(s.code).toContain('http://gw.example:8080');
      expect(s.code).not.toContain('8080//');
    }
    expect(all[3].code).toContain("curl -u 'wk123:'");
    expect(all[3].code).toContain('http://gw.example:8080/v1/track');
  });
});
