#!/usr/bin/env node
// The `faultline` command: the built JavaScript in dist/ (`npm run build`, run by `prepack`). In
// this repository, `npm start` and `npm run faultline -- …` run the TypeScript source instead.
let cli;
try {
  cli = await import('../dist/harness/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/harness/cli/main.js')) throw error;
  console.error('[faultline] The command has not been built: dist/ is missing. Run `npm run build` in this checkout.');
  process.exit(2);
}
process.exitCode = await cli.runCli(process.argv);
