import { CliError } from '../client';
import { promptHidden } from '../prompt';

let stdinLines: Promise<string[]> | undefined;

/** Standard input as lines (read once): `--…-stdin` flags take their values from it in flag order. */
function readStdinLines(): Promise<string[]> {
  stdinLines ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  })();
  return stdinLines;
}

/** The `index`-th line of stdin, which must be there and not empty. */
export async function stdinLine(index: number, what: string): Promise<string> {
  const line = (await readStdinLines())[index];
  if (!line) throw new CliError(`standard input has no ${what} (line ${index + 1}).`, 2);
  return line;
}

/** Prompts (twice, so a typo is caught) on a terminal; elsewhere the flag that reads it from stdin is needed. */
export async function promptNewPassword(flag: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError(`${flag} is required when stdin is not a terminal.`, 2);
  const first = await promptHidden('New password: ');
  if ((await promptHidden('Confirm new password: ')) !== first) throw new CliError('The passwords do not match.', 2);
  return first;
}

/** Prompts once on a terminal. */
export async function promptCurrentPassword(flag: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError(`${flag} is required when stdin is not a terminal.`, 2);
  return promptHidden('Current password: ');
}
