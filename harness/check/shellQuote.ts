// Replay commands are printed for people to paste into a shell, so every part that comes from a
// file name, a scenario id, an agent name or a test name is quoted when it needs to be.

const SAFE = /^[A-Za-z0-9_./:,@%+=-]+$/;

/** `s` as one shell word: bare when it is plainly safe, single-quoted otherwise. */
export function shellQuote(s: string): string {
  if (SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
