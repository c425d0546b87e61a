import { describe, expect, it } from 'vitest';
import { snippets } from './snippets';

describe('source snippets', () => {
  const all = snippets('wk123', 'http://gw.example:8080/', 'http://console.example:5000/');
  const code = (id: string) => all.find((s) => s.id === id)!.code;

  it('covers the browser, server and mobile SDKs and curl, each with the write key and the gateway', () => {
    expect(all.map((s) => s.id)).toEqual(['js', 'script', 'node', 'java', 'python', 'go', 'android', 'ios', 'curl']);
    for (const s of all) {
      expect(s.code).toContain('wk123');
      expect(s.code).toContain('http://gw.example:8080');
      expect(s.code).not.toContain('8080//');
      expect(s.code).not.toMatch(/8080\/['"]/); // no trailing slash in a configured URL
      expect(s.code).not.toMatch(/rudderstack\.com|rudderlabs\.com/); // nothing points at RudderStack's cloud
    }
    expect(code('curl')).toContain("curl -u 'wk123:'");
    expect(code('curl')).toContain('http://gw.example:8080/v1/track');
  });

  it('points the browser and mobile SDKs config fetch at this installation', () => {
    expect(code('js')).toContain("configUrl: 'http://gw.example:8080'");
    expect(code('js')).toContain("from '@rudderstack/analytics-js/bundled'");
    expect(code('script')).toContain('<script src="http://console.example:5000/sdk/rudder-analytics.js">');
    expect(code('script')).toContain("configUrl: 'http://gw.example:8080'");
    expect(code('android')).toContain('.withControlPlaneUrl("http://gw.example:8080")');
    expect(code('ios')).toContain('.withControlPlaneUrl("http://gw.example:8080")');
  });

  it('imports the Java classes from RudderStack SDK and keeps Node awaits inside a function', () => {
    expect(code('java')).toContain('import com.rudderstack.sdk.java.analytics.messages.TrackMessage;');
    expect(code('java')).not.toContain('com.segment');
    expect(code('node')).toMatch(/async function main\(\) \{[\s\S]*await client\.flush\(\);[\s\S]*\}\n\nmain\(\);$/);
  });
});
