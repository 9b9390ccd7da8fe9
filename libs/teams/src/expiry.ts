/**
 * A token expiry as people type it: `30d`, `12h`, `45m` from `now`, or an ISO-8601 date-time
 * (returned as given: `TeamService.issueToken` validates it). Undefined: never expires.
 */
export function parseExpiry(text: string | undefined, now = Date.now()): string | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)([dhm])$/.exec(text);
  if (!m) return text;
  const ms = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
  return new Date(now + Number(m[1]) * ms).toISOString();
}
