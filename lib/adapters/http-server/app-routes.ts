import { readdirSync } from 'node:fs';
import path from 'node:path';
import { templateFromAppFile } from '@/lib/domain/http/route-label';

const ROUTE_FILE = /^(page|route)\.(tsx?|jsx?)$/;

/** The route templates of a Next.js `app/` folder, read once at start-up (no files: no templates). */
export function appRouteTemplates(appDir: string): string[] {
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
      else if (entry.isFile() && ROUTE_FILE.test(entry.name))
        out.push(templateFromAppFile(`/${path.relative(appDir, full).split(path.sep).join('/')}`));
    }
  };
  walk(appDir);
  return [...new Set(out)].sort();
}
