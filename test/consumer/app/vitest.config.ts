import { defineConfig } from 'vitest/config';

// As the README shows: matchers in every file, and an index over the session's failing chaos tests.
export default defineConfig({ test: { include: ['*.test.ts'], setupFiles: ['faultline/vitest'], reporters: ['default', 'faultline/vitest/reporter'] } });
