#!/usr/bin/env node
// Faultline is written in TypeScript and runs from source through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
