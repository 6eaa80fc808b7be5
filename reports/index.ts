// Faultline's report writers: grouped named exports, types exported as types.

export type { ChromeTrace, ChromeTraceEvent } from './exports/chromeTrace.ts';
export { chromeTrace, chromeTraceJson } from './exports/chromeTrace.ts';
export { junitXml } from './exports/junit.ts';
export type { OtlpSpan, OtlpTrace } from './exports/otlp.ts';
export { otlpJson, otlpTrace } from './exports/otlp.ts';
export { escapeHtml } from './html.ts';
export { reportHtml } from './htmlReport.ts';
export type { IndexEntry } from './indexHtml.ts';
export { indexHtml } from './indexHtml.ts';
export { buildReport, parseReport, passedOf, readReport, redactReport, reportJson, writeJsonReport } from './jsonReport.ts';
export { redact, redactText } from './redact.ts';
export { isReportError, ReportError } from './reportError.ts';
export { REPORT_SCHEMA_FILE, reportJsonSchema } from './reportJsonSchema.ts';
export type { Report } from './reportSchema.ts';
export { REPORT_SCHEMA, reportSchema } from './reportSchema.ts';
export type { ReportInput, RunsSummary, ScenarioInfo, Verdict } from './types.ts';
export type { WrittenReport, WrittenReportSet } from './writeReports.ts';
export { reportBaseName, writeReport, writeReportSet } from './writeReports.ts';
