// Importing the user's own modules: the agents, tools and brains a scenario file names
// (`./agents.ts#hardened`), a scenario module given to the CLI, the scenario a report came from.
//
// Two rules. A reference resolves as TypeScript resolves an import: the file as written, else, for
// a `.js`/`.mjs`/`.cjs` name, the TypeScript source beside it (`./agent.js` → `./agent.ts`), so one
// scenario file works in a repository that runs its source and in one that runs its build.
// TypeScript is loaded through tsx, whose loader is registered on first need (not before: a project
// of plain JavaScript never pays for it; and always then, because a package's own `import()` is
// not compiled by vitest, and Node 20 cannot load TypeScript). And a reference found in a file (a scenario file, a report) stays
// inside the project unless the user asks for more: a report is an artifact people pass around, and
// importing a module runs it.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FaultlineError } from '../sim/errors.ts';

/** Where references found in files may point: the project and everything below it. */
export interface ImportScope {
  /** The project's root directory (default: {@link projectRoot} of the working directory). */
  readonly root?: string;
  /** Allow references outside `root` (the CLI's `--allow-outside-project`). Default false. */
  readonly allowOutsideRoot?: boolean;
}

const TS_SOURCE: Readonly<Record<string, string>> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * The project a path belongs to: the nearest ancestor of `from` holding `.git` (a repository, which
 * covers every package of a monorepo), else the nearest holding `package.json`, else `from` itself.
 */
export function projectRoot(from: string = process.cwd()): string {
  const start = path.resolve(from);
  for (const marker of ['.git', 'package.json']) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, marker))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  return start;
}

/** The file a reference names, as TypeScript would resolve it, or undefined when there is none. */
export function resolveModuleFile(file: string): string | undefined {
  if (existsSync(file)) return file;
  const ext = path.extname(file);
  const source = TS_SOURCE[ext];
  if (source === undefined) return undefined;
  const ts = file.slice(0, -ext.length) + source;
  return existsSync(ts) ? ts : undefined;
}

/**
 * Throws unless `file` (after following symlinks) lies inside the scope's root. `what` names the
 * reference for the message, e.g. `agents.naive in weather.yaml`.
 * @throws FaultlineError INVALID_SCENARIO naming the file, the root and the flag that allows it.
 */
export function assertInsideProject(file: string, what: string, scope: ImportScope = {}): void {
  if (scope.allowOutsideRoot === true) return;
  const root = realpathSync(scope.root ?? projectRoot());
  const real = realpathSync(file);
  const relative = path.relative(root, real);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) return;
  throw new FaultlineError('INVALID_SCENARIO', {
    what: `${what} points outside the project: ${real} is not under ${root}`,
    todo: 'Importing a module runs its code, so Faultline imports only files inside the project. Move the module into the project, or pass --allow-outside-project (allowOutsideRoot: true) if you trust the file that names it',
  });
}

let tsxRegistered: Promise<void> | undefined;

/** Registers tsx's loader once, when a TypeScript module is first imported. */
function ensureTypeScript(file: string): Promise<void> {
  if (!TS_EXTENSIONS.has(path.extname(file))) return Promise.resolve();
  tsxRegistered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return tsxRegistered;
}

/**
 * Imports a module by absolute path (already resolved with {@link resolveModuleFile}), compiling
 * TypeScript through tsx when nothing else does.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  await ensureTypeScript(file);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
