import { readFileSync } from 'node:fs';
import { findScenario, parseScenarioDocument, registerScenario, scenarioDocumentHash, ScenarioDocumentError, DOCUMENT_LIMITS } from '@mmreplay/model';
import { UsageError, type Io } from './io.js';

// `mmreplay run ./race.yaml`, `audit ./race.yaml`, `scenarios show ./race.yaml`: a scenario
// argument that names a file is a scenario document (docs/scenarios.md), loaded, checked and
// registered for this process under its own name; anything else names a scenario.

// The documents of the files loaded in this process, by name: with --api they are sent as they
// are (the server knows only its built-ins and its team's library).
const loaded = new Map<string, unknown>();

/** The document of a scenario loaded from a file in this process, or undefined for any other name. */
export const loadedDocument = (name: string): unknown => loaded.get(name);

/** A scenario argument that is a file: a path with a slash, or a .yaml/.yml/.json name. */
export const isScenarioFile = (arg: string): boolean => /[/\\]/.test(arg) || /\.(ya?ml|json)$/i.test(arg);

/** The scenario name to resolve for a scenario argument, loading the document when it is a file. */
export function scenarioArgument(arg: string, io: Io): string {
  if (!isScenarioFile(arg)) return arg;
  let text: string;
  try {
    const buf = readFileSync(arg);
    if (buf.length > DOCUMENT_LIMITS.bytes)
      throw new ScenarioDocumentError([{ path: '(root)', message: `the file is ${buf.length} bytes; at most ${DOCUMENT_LIMITS.bytes}` }], arg);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof ScenarioDocumentError) throw e;
    throw new UsageError(`cannot read scenario file ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const r = parseScenarioDocument(text);
  for (const w of r.warnings) io.err(`mmreplay: warning: ${arg}: ${w.path}: ${w.message}\n`);
  if (!r.ok) throw new ScenarioDocumentError(r.problems, arg);
  const existing = findScenario(r.document.name);
  if (existing && (!existing.document || scenarioDocumentHash(existing.document) !== r.hash)) {
    throw new ScenarioDocumentError(
      [{ path: 'name', message: `'${r.document.name}' is already a scenario of this mmreplay (built-in or loaded): give the document a name of its own` }],
      arg,
    );
  }
  if (!existing) registerScenario(r.scenario);
  loaded.set(r.document.name, r.document);
  return r.document.name;
}
