// Size limits of a scenario document (docs/scenarios.md states them). They bound what a load,
// a build and an exploration can cost before anything runs; the explorer bounds the rest.

export const DOCUMENT_LIMITS = {
  /** the document's text, in bytes (UTF-8) */
  bytes: 256 * 1024,
  /** nesting of YAML/JSON values */
  depth: 24,
  /** threads after `repeat` */
  threads: 32,
  /** pages + VMAs + PTEs + PTLs after `repeat` */
  objects: 256,
  /** paths */
  paths: 32,
  /** steps of one path after `when`, `if` and `repeat` */
  stepsPerPath: 1000,
  /** steps of all paths */
  steps: 4000,
  /** parameters, switches, named variants */
  params: 16,
  switches: 16,
  variants: 64,
  /** values of one switch */
  switchValues: 16,
  /** one `repeat`'s count */
  repeat: 256,
  /** length of a name or label */
  name: 64,
  /** length of a title, description or message */
  text: 4000,
} as const;
