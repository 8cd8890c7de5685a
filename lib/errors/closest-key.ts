/** The known key closest to a typo: same but for case, a prefix, else at most 2 edits away. */
export function closest(known: readonly string[], key: string): string | undefined {
  const b = key.toLowerCase();
  const distance = (a: string) =>
    a === b || a.startsWith(b) || b.startsWith(a) ? 0 : editDistance(a, b);
  const ranked = known.map((candidate) => ({ candidate, d: distance(candidate.toLowerCase()) }));
  return ranked.filter((r) => r.d <= 2).sort((x, y) => x.d - y.d)[0]?.candidate;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
