const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A duration flag in seconds: a whole number of seconds, or one followed by `s`, `m`,
 * `h` or `d` (`90s`, `10m`, `36h`, `7d`). Anything else — signs, fractions, spaces,
 * other units, more than a year — is null, for the caller to refuse.
 */
export function parseDurationSeconds(text: string): number | null {
  const match = /^(\d{1,8})([smhd]?)$/.exec(text);
  if (!match) return null;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  return seconds >= 1 && seconds <= 366 * 86_400 ? seconds : null;
}
