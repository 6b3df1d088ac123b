import { badInput } from '../../protocol/domain-error.js';

const DAY_MS = 24 * 3600 * 1000;
/** The longest rotation interval accepted: ten years. */
export const MAX_ROTATION_INTERVAL_DAYS = 3650;
/** The longest `expiringWithinDays` accepted. */
export const MAX_EXPIRING_WITHIN_DAYS = 3650;

/** When a secret last rotated at `lastRotation` is due again, or null without an interval. */
export function rotationDueAt(lastRotation: Date, intervalDays: number | null | undefined): Date | null {
  if (intervalDays == null) return null;
  return new Date(lastRotation.getTime() + intervalDays * DAY_MS);
}

/** `now` plus `days` whole days. */
export const daysFrom = (now: Date, days: number): Date => new Date(now.getTime() + days * DAY_MS);

/** An expiry must lie in the future when it is set (null clears it). */
export function assertExpiresAt(expiresAt: Date | null | undefined, now: Date): void {
  if (expiresAt == null) return;
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()))
    throw badInput('expiresAt', 'expiresAt must be a date-time.');
  if (expiresAt.getTime() <= now.getTime()) throw badInput('expiresAt', 'expiresAt must lie in the future.');
}

/** A rotation interval is 1 to 3650 whole days (null clears it). */
export function assertRotationInterval(days: number | null | undefined): void {
  if (days == null) return;
  if (!Number.isInteger(days) || days < 1 || days > MAX_ROTATION_INTERVAL_DAYS)
    throw badInput(
      'rotationIntervalDays',
      `rotationIntervalDays must be a whole number of days from 1 to ${MAX_ROTATION_INTERVAL_DAYS}.`,
    );
}
