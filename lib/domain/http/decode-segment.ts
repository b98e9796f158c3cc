/**
 * A dynamic route segment as the user typed it. Pages decode it once more (names may arrive escaped);
 * a lone `%` (`/runs/100%`) is not an escape, so the segment is kept as it is instead of throwing. Pure.
 */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
