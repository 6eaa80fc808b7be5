// The properties Faultline ships, by name. Scenario files refer to them by these names.

export type { SpendBounds, WorkBounds } from './bounds.ts';
export { boundedSpend, boundedWork } from './bounds.ts';
export type { SilentCorruptionOptions } from './integrity.ts';
export { noMixedVersions, noSilentCorruption } from './integrity.ts';
export type { GracefulDegradationOptions } from './liveness.ts';
export { gracefulDegradation, noDeadlock } from './liveness.ts';
export type { Property, PropertyContext, PropertyVerdict } from './property.ts';
export { marks, property, textOf } from './property.ts';
export type { ConsistencyOptions } from './state.ts';
export { consistentStores, eventuallyConverges, linearizable, noLostUpdates } from './state.ts';
export { traceComplete } from './traceability.ts';
