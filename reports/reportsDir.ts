// Where reports go unless told otherwise, for every entry point (chaosTest, the vitest reporter, the
// CLI): FAULTLINE_REPORTS_DIR, else `faultline-reports` in the working directory — a visible folder,
// because CI artifact uploads skip hidden ones by default. Add it to .gitignore.
import path from 'node:path';

export const DEFAULT_REPORTS_DIR = 'faultline-reports';

/** The reports folder as an absolute path. */
export function reportsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.FAULTLINE_REPORTS_DIR || DEFAULT_REPORTS_DIR);
}
