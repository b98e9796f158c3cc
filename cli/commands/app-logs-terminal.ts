/**
 * What of a pod's log line may reach a terminal. A container writes what it likes, and a terminal acts on more than
 * colours: OSC 52 sets the clipboard, OSC 8 makes links, OSC 0/2 change the title, CSI sequences move the cursor
 * and erase what was printed (hiding or faking earlier lines), DCS/APC/PM/SOS strings and 8-bit C1 controls reach
 * the terminal's parsers. So only SGR sequences (colours and styles: `ESC [ <digits ; :> m`) are kept; every other
 * escape sequence and every control character but TAB is removed. `kubectl logs` prints the bytes as they are.
 */

/*
 * Tried in order, each match replaced by keep(): a complete CSI (ESC [ or 8-bit CSI), a CSI cut off at the end, an
 * OSC string (ended by BEL or ST, or cut off), a DCS/SOS/PM/APC string, any other ESC sequence, a lone ESC, and a
 * C0 control other than TAB, DEL or a C1 control (U+0080–U+009F, which terminals may read as 8-bit controls).
 */
const ESCAPES = new RegExp(
  [
    '(?:\\x1b\\[|\\x9b)([0-?]*)([ -/]*)([@-~])',
    '(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*$',
    '(?:\\x1b\\]|\\x9d)[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c|$)',
    '(?:\\x1b[PX^_]|[\\x90\\x98\\x9e\\x9f])[^\\x1b\\x9c]*(?:\\x1b\\\\|\\x9c|$)',
    '\\x1b[ -/]*[0-~]',
    '\\x1b',
    '[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]',
  ].join('|'),
  'g',
);

/** The line with only SGR colour and style sequences left (written as `ESC [`), for a terminal. */
export function forTerminal(line: string): string {
  return line.replace(ESCAPES, (_all, params?: string, intermediates?: string, final?: string) =>
    final === 'm' && !intermediates && /^[0-9;:]*$/.test(params ?? '') ? `\x1b[${params}m` : '',
  );
}

/**
 * How `keelson app logs` writes a line: to a terminal (stdout is a TTY) through forTerminal unless `--raw`;
 * to a pipe or a file as it is, as `kubectl logs` does (what reads it decides what the bytes mean).
 */
export function lineFilter(o: { isTTY: boolean; raw: boolean }): (line: string) => string {
  return o.isTTY && !o.raw ? forTerminal : (line) => line;
}
