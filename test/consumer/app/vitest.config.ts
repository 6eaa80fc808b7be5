import { defineConfig } from 'vitest/config';

// setupFiles registers Faultline's matchers in every test file, as the README shows.
export default defineConfig({ test: { include: ['*.test.ts'], setupFiles: ['faultline/vitest'] } });
