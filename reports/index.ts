// Faultline's report writers: grouped named exports, types exported as types.
export type { ReportInput, RunsSummary, ScenarioInfo, Verdict } from './types.ts';
export { REPORT_SCHEMA, reportSchema } from './reportSchema.ts';
export type { Report } from './reportSchema.ts';
export { buildReport, parseReport, passedOf, readReport, redactReport, reportJson, writeJsonReport } from './jsonReport.ts';
export { ReportError, isReportError } from './reportError.ts';
export { reportJsonSchema, REPORT_SCHEMA_FILE } from './reportJsonSchema.ts';
export { reportHtml } from './htmlReport.ts';
export { indexHtml } from './indexHtml.ts';
export type { IndexEntry } from './indexHtml.ts';
export { chromeTrace, chromeTraceJson } from './exports/chromeTrace.ts';
export type { ChromeTrace, ChromeTraceEvent } from './exports/chromeTrace.ts';
export { otlpJson, otlpTrace } from './exports/otlp.ts';
export type { OtlpSpan, OtlpTrace } from './exports/otlp.ts';
export { junitXml } from './exports/junit.ts';
export { redact, redactText } from './redact.ts';
export { escapeHtml } from './html.ts';
export { reportBaseName, writeReport, writeReportSet } from './writeReports.ts';
export type { WrittenReport, WrittenReportSet } from './writeReports.ts';
