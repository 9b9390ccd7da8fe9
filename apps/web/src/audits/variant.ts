import type { components } from '@mmreplay/contracts';

// A variant typed as JSON is checked as it is typed, so the mistakes the server would answer 400
// or 422 for show beside the text at once: JSON syntax, unknown fields, switches and values the
// scenario does not have, patch operations. The server stays the authority: its problem details
// are shown the same way when it refuses a variant that passed here.

export interface SwitchInfo {
  name: string;
  values: string[];
}

/** A field at fault and what is wrong with it, as the API's problem details name one. */
export type Issue = components['schemas']['FieldIssueDto'];

const PATCH_OPS = ['delete', 'insert', 'replace', 'move'];
const VARIANT_FIELDS = ['name', 'description', 'switches', 'patches'];

export function checkVariant(text: string, switches: readonly SwitchInfo[]): { value?: Record<string, unknown>; issues: Issue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { issues: [{ field: 'variant', message: `not JSON: ${(e as Error).message}` }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { issues: [{ field: 'variant', message: 'must be an object with "switches" and/or "patches"' }] };
  const v = value as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const key of Object.keys(v))
    if (!VARIANT_FIELDS.includes(key)) issues.push({ field: `variant.${key}`, message: `unknown field (one of ${VARIANT_FIELDS.join(', ')})` });
  if (v.switches !== undefined) {
    if (typeof v.switches !== 'object' || v.switches === null || Array.isArray(v.switches))
      issues.push({ field: 'variant.switches', message: 'must be an object of switch: value' });
    else
      for (const [name, val] of Object.entries(v.switches)) {
        const s = switches.find((x) => x.name === name);
        if (!s) issues.push({ field: `variant.switches.${name}`, message: `no such switch (${switches.map((x) => x.name).join(', ')})` });
        else if (typeof val !== 'string' || !s.values.includes(val))
          issues.push({ field: `variant.switches.${name}`, message: `must be one of ${s.values.join(', ')}` });
      }
  }
  if (v.patches !== undefined) {
    if (!Array.isArray(v.patches)) issues.push({ field: 'variant.patches', message: 'must be an array of patches' });
    else
      v.patches.forEach((p: unknown, i) => {
        const at = `variant.patches[${i}]`;
        if (typeof p !== 'object' || p === null) return issues.push({ field: at, message: 'must be an object' });
        const patch = p as Record<string, unknown>;
        if (!PATCH_OPS.includes(String(patch.op))) issues.push({ field: `${at}.op`, message: `must be one of ${PATCH_OPS.join(', ')}` });
        if (typeof patch.path !== 'string') issues.push({ field: `${at}.path`, message: 'must name a kernel path, e.g. "migrate_pages"' });
        if (typeof patch.step !== 'string') issues.push({ field: `${at}.step`, message: 'must name a step by its label, e.g. "U12.unlock_page"' });
      });
  }
  return issues.length ? { issues } : { value: v, issues };
}
