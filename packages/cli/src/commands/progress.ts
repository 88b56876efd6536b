import type { Io } from './io';

/** A progress bar on stderr, drawn only on a terminal and when `enabled`. */
export function createProgress(io: Io, enabled: boolean) {
  const on = enabled && io.stderrIsTTY;
  let last = 0;
  return {
    update(fraction: number, orders: number, label = '') {
      if (!on) return;
      const now = Date.now();
      if (now - last < 100 && fraction < 1) return;
      last = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      io.errRaw(
        `\r${label}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${orders} orders`,
      );
    },
    done() {
      if (on) io.errRaw('\n');
    },
  };
}
