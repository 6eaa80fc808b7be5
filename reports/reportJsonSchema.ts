// The JSON Schema of `faultline.report/v1`, generated from the zod schema so that the two cannot
// drift: report.schema.json is this function's output, and a test fails when it is stale.
// Regenerate it with `npx tsx reports/reportJsonSchema.ts`.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { reportSchema } from './reportSchema.ts';
import { writeFileAtomic } from './writeAtomic.ts';

export const REPORT_SCHEMA_FILE = fileURLToPath(new URL('./report.schema.json', import.meta.url));

/** The schema document. `io: 'input'` describes what a reader accepts: unknown fields are ignored. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

/** The text of report.schema.json. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}

const invoked = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invoked) {
  await writeFileAtomic(REPORT_SCHEMA_FILE, reportJsonSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), REPORT_SCHEMA_FILE)}`);
}
