/**
 * Meshcraft analyzer: configuration mistakes in a design, with istioctl's codes where the check is the same and
 * our MC1xx codes for the others. Pure TypeScript (worker, Node tests, CLI).
 *
 *   const parsed = parseDesign(text);
 *   const messages = locate(analyze(parsed.model), parsed);   // + line/column/range
 */
export { analyze } from './analyze';
export { locate, diagnosticsToMessages, messageToDiagnostic, type Located } from './locate';
export { CODES, LEVEL_RANK, type AnalyzeOptions, type Code, type Fix, type FixKind, type Level, type LocatedMessage, type Message } from './types';
