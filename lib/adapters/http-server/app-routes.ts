import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exportedMethods, type ApiRouteFile } from '@/lib/domain/http/allowed-methods';
import { templateFromAppFile } from '@/lib/domain/http/route-label';

const ROUTE_FILE = /^(page|route)\.(tsx?|jsx?)$/;

/** The files named page.* or route.* under a folder, recursively (folders starting with _ are private). */
function routeFilesUnder(appDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('_')) walk(full);
      else if (entry.isFile() && ROUTE_FILE.test(entry.name)) out.push(full);
    }
  };
  walk(appDir);
  return out;
}

const templateOf = (appDir: string, file: string) =>
  templateFromAppFile(`/${path.relative(appDir, file).split(path.sep).join('/')}`);

/** The route templates of a Next.js `app/` folder, read once at start-up (no files: no templates). */
export function appRouteTemplates(appDir: string): string[] {
  return [...new Set(routeFilesUnder(appDir).map((f) => templateOf(appDir, f)))].sort();
}

/** Each route.ts under app/api with the HTTP methods it exports, read once at start-up. */
export function apiRouteFiles(appDir: string): ApiRouteFile[] {
  return routeFilesUnder(path.join(appDir, 'api'))
    .filter((f) => path.basename(f).startsWith('route.'))
    .map((f) => ({ template: templateOf(appDir, f), exported: exportedMethods(readFileSync(f, 'utf8')) }));
}
