/** The fixed-width mask: its length says nothing about the value's length. */
export const PREVIEW_MASK = '••••••••';
/** Below this many characters the preview shows the mask alone (SPEC §3). */
export const PREVIEW_MIN_LENGTH = 20;

/** The last 4 characters behind the mask when the value has at least 20 characters; else the mask alone. */
export function maskedPreview(value: string): string {
  const chars = Array.from(value);
  return chars.length >= PREVIEW_MIN_LENGTH ? `${PREVIEW_MASK}${chars.slice(-4).join('')}` : PREVIEW_MASK;
}
