import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

// A web site on an origin of its own (127.0.0.1, another port than the suite's) whose pages load the browser SDKs
// from the npm packages in node_modules, unchanged:
// - RudderStack's @rudderstack/analytics-js, its "bundled" ES module (plugins compiled in, so nothing is loaded
//   from RudderStack's CDN); the integration and plugin base URLs point at this site, so a stray load stays local;
// - Segment's @segment/analytics-next, bundled by esbuild from the package's ES modules as an npm user's bundler
//   would (its CDN build would fetch its lazy chunks from cdnURL).
// A page is told the write key and the gateway in its query string.

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleDir = path.resolve(here, '..');
const nodeModules = path.join(moduleDir, 'node_modules');
const RUDDERSTACK_BUNDLED = path.join(nodeModules, '@rudderstack/analytics-js/dist/npm/modern/bundled/esm/index.mjs');

const RUDDERSTACK_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>RudderStack JS SDK page</title></head>
<body><h1>RudderStack JS SDK</h1>
<script type="module">
  import { RudderAnalytics } from '/rudderstack/analytics-js.mjs';
  const q = new URLSearchParams(location.search);
  const gateway = q.get('gateway');
  const analytics = new RudderAnalytics();
  window.rudderanalytics = analytics;
  analytics.load(q.get('writeKey'), gateway, {
    configUrl: gateway,
    useBeacon: q.get('beacon') === 'true',
    beaconQueueOptions: { flushQueueInterval: 1000 },
    destSDKBaseURL: location.origin + '/rudderstack/js-integrations',
    pluginsSDKBaseURL: location.origin + '/rudderstack/plugins',
    onLoaded: () => { window.sdkReady = true; },
  });
</script>
</body></html>
`;

const SEGMENT_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Segment analytics-next page</title></head>
<body><h1>Segment analytics-next</h1>
<script src="/segment/analytics-next.js"></script>
<script>
  const q = new URLSearchParams(location.search);
  window.analytics = AnalyticsNext.AnalyticsBrowser.load({ writeKey: q.get('writeKey'), cdnURL: q.get('gateway') });
  window.analytics.ready(() => { window.sdkReady = true; });
</script>
</body></html>
`;

/** Bundles analytics-next into one browser script (an IIFE exposing AnalyticsNext.AnalyticsBrowser). */
async function bundleSegment(outDir) {
  const entry = path.join(outDir, 'segment-entry.mjs');
  const out = path.join(outDir, 'analytics-next.js');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(entry, "export { AnalyticsBrowser } from '@segment/analytics-next';\n");
  await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: 'iife',
    globalName: 'AnalyticsNext',
    platform: 'browser',
    target: 'es2020',
    nodePaths: [nodeModules],
    logLevel: 'warning',
  });
  return out;
}

/**
 * Starts the site; `url` is its origin. Files it does not have are 404 (and counted in `missing`); `serve` adds one
 * (the snippet pages of snippet-steps.mjs).
 */
export async function startSdkSite(target) {
  const segmentJs = await bundleSegment(path.join(target, 'sdk-site'));
  const files = {
    '/rudderstack.html': { type: 'text/html', body: () => RUDDERSTACK_PAGE },
    '/rudderstack/analytics-js.mjs': { type: 'text/javascript', body: () => fs.readFileSync(RUDDERSTACK_BUNDLED) },
    '/segment.html': { type: 'text/html', body: () => SEGMENT_PAGE },
    '/segment/analytics-next.js': { type: 'text/javascript', body: () => fs.readFileSync(segmentJs) },
  };
  const missing = [];
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url, 'http://site').pathname];
    if (!file) {
      missing.push(req.url);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' });
    res.end(file.body());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    missing,
    serve(pathname, type, body) {
      files[pathname] = { type, body: () => body };
      return `http://127.0.0.1:${server.address().port}${pathname}`;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
