// Bundles the Settings page's browser code (server/web/client) into dist/web with esbuild:
// one script per page plus one stylesheet, from npm packages only (no CDN at run time).
// Run by `npm run build`; the Express web routes serve the result under /assets.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const client = path.join(root, 'server/web/client');
const outdir = path.join(root, 'dist/web');

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    auth: path.join(client, 'auth.ts'),
    settings: path.join(client, 'settings.ts'),
    app: path.join(client, 'styles.css'),
  },
  outdir,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari15.4', 'edge109'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const files = Object.keys(result.metafile.outputs).filter((f) => !f.endsWith('.map'));
console.log(`build-web: wrote ${files.map((f) => path.relative(root, f)).join(', ')}`);
