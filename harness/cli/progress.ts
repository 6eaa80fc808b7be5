// Progress on long runs: one line that updates in place on a terminal, and silence otherwise (CI
// logs get one line per result instead of hundreds of updates).
import { wallClockMs } from '../sim/runGlobals.ts';

export interface Progress {
  update(text: string): void;
  done(line: string): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true): Progress {
  let shown = false;
  let last = 0;
  return {
    update(text) {
      if (!enabled) return;
      // At most ten redraws a second: a terminal cannot show more, and each costs a write.
      const now = wallClockMs();
      if (now - last < 100) return;
      last = now;
      stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 100) - 1)}`);
      shown = true;
    },
    done(line) {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
      process.stdout.write(`${line}\n`);
    },
  };
}
