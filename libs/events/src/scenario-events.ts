import type { EventData, EventMetadataInput, JsonObject } from './envelope.js';

/** One stream per team: the scenario documents its members published, oldest first. */
export const SCENARIO_LIBRARY_STREAM_PREFIX = 'scenarios-';

export const scenarioLibraryStream = (team: string): string => SCENARIO_LIBRARY_STREAM_PREFIX + team;

export const SCENARIO_PUBLISHED = 'ScenarioPublished';
export const SCENARIO_PUBLISHED_SCHEMA_VERSION = 1;

/**
 * A member published a version of a scenario document. A version is immutable and addressed by the
 * content hash of its document (canonical JSON); the name stands for the latest one published.
 */
export interface ScenarioPublished {
  name: string;
  /** sha256 of the document's canonical JSON (`scenarioDocumentHash`) */
  hash: string;
  /** the document as checked by the loader (parsed YAML or JSON) */
  document: JsonObject;
  title: string | null;
  actor: string;
  team: string;
}

export function scenarioPublishedEvent(data: ScenarioPublished, metadata: EventMetadataInput = {}): EventData<ScenarioPublished, typeof SCENARIO_PUBLISHED> {
  return { type: SCENARIO_PUBLISHED, data, metadata: { ...metadata, schemaVersion: SCENARIO_PUBLISHED_SCHEMA_VERSION } };
}
