/**
 * Parses JSON like `JSON.parse`, except that integer literals outside the safe
 * range (above 2^53 - 1, e.g. Shopify ids such as `820982911946154508`) become
 * strings holding their exact digits instead of rounded numbers. Safe integers and
 * decimals stay numbers. Throws `SyntaxError` on invalid JSON.
 *
 * @example
 * ```ts
 * parseLosslessJson('{"id": 820982911946154508, "n": 3}'); // { id: '820982911946154508', n: 3 }
 * ```
 */
export function parseLosslessJson(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Wraps unsafe integer literals (outside strings) in quotes. Leaves everything else as is. */
function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) i++;
        else break;
      }
      const token = text.slice(start, i);
      if (/^-?[1-9]\d{15,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(last, start)}"${token}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}
