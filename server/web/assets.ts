// Finds the browser bundle that scripts/build-web.mjs writes to `<repo>/dist/web`. The same code
// runs from `server/web` (ts-jest) and from `dist/server/web` (npm start), so the repository root
// is found by walking up to the nearest package.json instead of a fixed relative path.
import fs from 'node:fs';
import path from 'node:path';

export function findPackageRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (isRepositoryRoot(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** The repository's own package.json (not one a build might copy into dist/). */
function isRepositoryRoot(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'switchboard';
  } catch {
    return false;
  }
}

export const webAssetsDir = (): string => path.join(findPackageRoot(), 'dist', 'web');

/** The bundle's entry files; the pages link exactly these. */
export const assetFiles = ['app.css', 'auth.js', 'settings.js'] as const;

export function missingAssets(dir: string): string[] {
  return assetFiles.filter((f) => !fs.existsSync(path.join(dir, f)));
}
