/**
 * Scenario documents (docs/scenarios.md): a world, threads and paths as data, YAML or JSON.
 * Pure: no I/O. The stable API, for the CLI, the API's team library and tests:
 *
 *   parseScenarioDocument(text: string | parsedValue, {combinations?: 'all' | 'defaults'}): ParseResult
 *     ok:    { ok: true, document, scenario, hash, problems: [], warnings }
 *            `scenario` is a Scenario that resolveScenarioModel(scenario, {params, variant,
 *            invariants, memoryModel}) resolves to the World runs, audits and the explorer take;
 *            registerScenario(scenario) makes resolveModel({scenario: name}) find it too.
 *     error: { ok: false, problems, warnings }, each { path: 'threads[2].path', message }
 *            (a 400/422 over HTTP, exit 2 in the CLI); it never throws on any input.
 *     `warnings` (unreachable steps, ...) do not stop a run.
 *   scenarioDocumentHash(document): string   sha256 of the canonical JSON (name@version)
 *   exportScenario(name, {params?}): ScenarioDocument | undefined   a built-in as a document
 *   documentToYaml(document): string          the document as YAML text
 *   scenarioJsonSchema(): object              the JSON Schema (libs/model/schema/scenario.schema.json)
 *   DOCUMENT_LIMITS                           size limits (bytes, threads, objects, steps, ...)
 *
 *   ScenarioDocumentError(problems, source)  what callers throw for a document with problems
 *
 * Runtime errors while resolving a document scenario (a parameter value that builds a bad world)
 * are VariantNotApplicableError with the document path in `field`, like any variant problem.
 */
export {
  parseScenarioDocument,
  parseDocumentText,
  ScenarioDocumentError,
  scenarioDocumentHash,
  scenarioFromDocument,
  type ParseOptions,
  type ParseResult,
} from './load.js';
export { scenarioJsonSchema, SCENARIO_SHAPE } from './schema.js';
export { DOCUMENT_LIMITS } from './limits.js';
export { DOCUMENT_FORMAT, type DocumentProblem, type ScenarioDocument } from './types.js';
export { evalExpr, ExprError } from './expr.js';
export { exportScenario, exportScenarioObject, exportParametric, documentToYaml, ExportError } from './export.js';
export { describeUserInvariant, scenarioUserInvariants } from './build.js';
