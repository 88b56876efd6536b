import { describe, expect, it } from 'vitest';
import { mergeRows, readRows, renderDoc } from '../src/write-doc';

const row = (
  over: Partial<{ area: string; fault: string; trials: number; result: string; ok: boolean }>,
) => ({
  area: 'engine',
  fault: 'crash',
  trials: 10,
  result: '0 lost',
  ok: true,
  ...over,
});

describe('write-doc', () => {
  it('reads JSON lines, skipping and counting lines that do not parse', () => {
    const text = `${JSON.stringify(row({}))}\nnot json\n\n{"x":1}\n`;
    expect(readRows(text)).toEqual({ rows: [row({})], unreadable: 2 });
  });

  it('merges rows of the same area and fault: trials summed, ok only if every run held', () => {
    const merged = mergeRows([
      row({ area: 'http', trials: 3 }),
      row({ trials: 5, result: 'a' }),
      row({ trials: 7, result: 'b', ok: false }),
    ]);
    expect(merged).toEqual([
      row({ trials: 12, result: 'a / b', ok: false }),
      row({ area: 'http', trials: 3 }),
    ]);
  });

  it('renders date, commit, mode, counts and a table row per fault, escaping pipes', () => {
    const md = renderDoc([row({ fault: 'a | b' }), row({ area: 'x', ok: false })], {
      mode: 'soak',
      date: '2026-12-06T06:00:00.000Z',
      commit: 'abc1234',
      vitestExit: 1,
    });
    expect(md).toContain('- Date: 2026-12-06T06:00:00.000Z');
    expect(md).toContain('- Commit: abc1234');
    expect(md).toContain('- Mode: soak');
    expect(md).toContain('- Faults tried: 2, held: 1, failed: 1 (vitest reported failures');
    expect(md).toContain('| engine | a \\| b | 10 | 0 lost | yes |');
    expect(md).toContain('| x | crash | 10 | 0 lost | **NO** |');
  });
});
