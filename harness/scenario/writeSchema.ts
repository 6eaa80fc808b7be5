// `npm run schema`: writes scenarios/scenario.schema.json from the zod schema of scenario files, so
// editors autocomplete and check them (`# yaml-language-server: $schema=../scenario.schema.json`).
// A test fails when the committed file is out of date.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../reports/writeAtomic.ts';
import { scenarioJsonSchema } from './fileSchema.ts';

export const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scenarios/scenario.schema.json');

export function schemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await writeFileAtomic(schemaFile, schemaText());
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
}
