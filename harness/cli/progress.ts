// Progress on long runs: one line that updates in place on a terminal, and silence otherwise (CI
// logs get one line per result instead of hundreds of updates). A terminal means a TTY with no `CI`
// variable set: CI systems that fake a TTY still get plain lines.
import { wallClockMs } from '../sim/runGlobals.ts';

export interface Progress {
  /** True when updates are shown (an updating line on a terminal); false when they are dropped. */
  readonly interactive: boolean;
  update(text: string): void;
  done(line: string): void;
}

/** True where an updating line can be shown: a TTY, and not in CI. */
export function isInteractive(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return stream.isTTY === true && (ci === undefined || ci === '' || ci === '0' || ci.toLowerCase() === 'false');
}

/** A progress display on `stream`; `wanted: false` (the CLI's --no-progress) silences it even on a terminal. */
export function progress(stream: NodeJS.WriteStream = process.stderr, wanted = true): Progress {
  const enabled = wanted && isInteractive(stream);
  let shown = false;
  let last = 0;
  return {
    interactive: enabled,
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
