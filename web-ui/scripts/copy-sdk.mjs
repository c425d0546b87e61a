// Copies RudderStack's JavaScript SDK (npm @rudderstack/analytics-js, MIT) into the built web app, so the config
// backend serves it at /sdk/rudder-analytics.js and the script-tag snippet loads nothing from a third-party CDN. The
// "bundled" UMD build has every plugin inside; `new rudderanalytics.RudderAnalytics()` makes the global instance.
import fs from 'node:fs';
import path from 'node:path';

// the package's "exports" hide package.json from require.resolve: it is read from node_modules directly
const pkgDir = path.resolve('node_modules/@rudderstack/analytics-js');
const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const out = path.resolve('target/classes/static/sdk');
fs.mkdirSync(out, { recursive: true });
const banner = `/*! @rudderstack/analytics-js ${version} (bundled UMD build), MIT License, see rudder-analytics.LICENSE.txt */\n`;
fs.writeFileSync(
  path.join(out, 'rudder-analytics.js'),
  banner + fs.readFileSync(path.join(pkgDir, 'dist/npm/modern/bundled/umd/index.js'), 'utf8'),
);
const license = ['LICENSE.md', 'LICENSE', 'LICENSE.txt'].map((f) => path.join(pkgDir, f)).find((f) => fs.existsSync(f));
if (license) fs.copyFileSync(license, path.join(out, 'rudder-analytics.LICENSE.txt'));
console.log(`copied @rudderstack/analytics-js ${version} to ${out}`);
