// Goal: the updating progress line appears only on an interactive terminal: never in a log file or
// pipe, never in CI (even when CI fakes a TTY), never with --no-progress; result lines always do.
// Method: progress() over fake streams with and without a TTY and with CI set or not.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInteractive, progress } from '../../harness/cli/progress.ts';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 80, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

describe('progress', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('is interactive only on a TTY without CI', () => {
    expect(isInteractive(fakeStream(true).stream, {})).toBe(true);
    expect(isInteractive(fakeStream(false).stream, {})).toBe(false);
    expect(isInteractive(fakeStream(true).stream, { CI: 'true' })).toBe(false);
    expect(isInteractive(fakeStream(true).stream, { CI: '1' })).toBe(false);
    expect(isInteractive(fakeStream(true).stream, { CI: 'false' })).toBe(true);
  });

  it('writes no control sequences to a pipe, in CI, or when not wanted; result lines always', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    for (const [tty, ci, wanted] of [
      [false, undefined, true],
      [true, 'true', true],
      [true, undefined, false],
    ] as const) {
      vi.stubEnv('CI', ci);
      const { stream, writes } = fakeStream(tty);
      const show = progress(stream, wanted);
      show.update('run 1');
      show.done('ok scenario');
      expect(writes).toEqual([]);
    }
    expect(stdout.mock.calls.map((c) => c[0])).toEqual(['ok scenario\n', 'ok scenario\n', 'ok scenario\n']);
  });

  it('updates in place on an interactive terminal', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.stubEnv('CI', undefined);
    const { stream, writes } = fakeStream(true);
    const show = progress(stream);
    show.update('run 1');
    show.done('ok scenario');
    expect(writes).toEqual(['\r\x1b[2Krun 1', '\r\x1b[2K']);
  });
});
