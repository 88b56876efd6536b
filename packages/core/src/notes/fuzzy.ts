/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps), stopping early past `max`. Internal. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] as number;
}

/** Typos allowed in a keyword of this length: none below 5 letters, 1 up to 11, then 2. Internal. */
export function allowedTypos(length: number): number {
  return length < 5 ? 0 : length < 12 ? 1 : 2;
}

/**
 * How a note word matches a keyword word: 0 exact, 1 typo, -1 no match. A
 * keyword ending in `*` matches any word starting with it (exactly). Fuzzy
 * matches keep the first letter. Internal.
 */
export function wordMatch(word: string, keyword: string): 0 | 1 | -1 {
  if (keyword.endsWith('*')) {
    const stem = keyword.slice(0, -1);
    if (word.startsWith(stem)) return 0;
    if (stem.length >= 5 && word[0] === stem[0]) {
      const head = word.slice(0, stem.length);
      if (editDistance(head, stem, 1) <= 1) return 1;
    }
    return -1;
  }
  if (word === keyword) return 0;
  const max = allowedTypos(keyword.length);
  if (max === 0 || word[0] !== keyword[0]) return -1;
  return editDistance(word, keyword, max) <= max ? 1 : -1;
}
