const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/**
 * "just now", "5 minutes ago", "3 days ago"; a date once it is a week or more away.
 * `null` (never happened) is "Never".
 */
export function formatWhen(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'Never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'Unknown';
  let amount = (at - now) / 1000;
  if (Math.abs(amount) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return dateOnly.format(at);
}

/** The full date and time, for a tooltip or a detail line. */
export function formatExact(iso: string | null | undefined): string {
  if (!iso) return 'Never';
  const at = Date.parse(iso);
  return Number.isNaN(at) ? 'Unknown' : absolute.format(at);
}
