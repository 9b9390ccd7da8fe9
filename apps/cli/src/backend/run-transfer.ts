// A run's export and import (one JSON event a line, checked by re-simulation) live in
// @mmreplay/runs, shared with the API's `GET /runs/{id}/export` and `POST /runs/import`.
export { exportRun, importRun, parseExport, RunAlreadyStoredError as ImportConflictError, type ExportedEvent } from '@mmreplay/runs';
