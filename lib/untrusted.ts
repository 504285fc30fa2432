/**
 * Text from elsewhere (a vendor's log lines or error messages, a probed service's answer) on its way
 * to the step log. The runner reads every stdout line whose trimmed text starts with `::` as a
 * workflow command (`::error::`, `::add-mask::`, `::stop-commands::`…), and a `##[` anywhere in a line
 * as a legacy one, so remote text printed as it is can forge annotations or switch command
 * processing off. Strip it first.
 */

/** ANSI escape sequences (colours, cursor moves, OSC titles) as terminals and log viewers read them. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
/** C0 controls other than tab and newline, DEL and C1 controls; `\r` too (it would start a new line). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Unicode line and paragraph separators, which some viewers break lines on. */
const SEPARATORS = /[\u2028\u2029\u0085]/g;
/** Zero-width space: not whitespace to the runner's Trim(), so `\u200b::x::` is plain text. */
const ZWSP = '\u200b';

/**
 * Makes remote text safe to print: removes ANSI escapes and control characters (keeping tab and
 * newline), and breaks every line that the runner would take for a workflow command by putting a
 * zero-width space before its leading `::` and inside every `##[`. What a person reads is unchanged.
 *
 * @param text untrusted text, one or more lines
 * @returns the same text, unable to issue workflow commands
 * @example io.info(`Build log:\n${safeLogText(lines.join('\n'))}`)
 */
export function safeLogText(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r\n?/g, '\n')
    .replace(SEPARATORS, '\n')
    .replace(CONTROL, '')
    .split('\n')
    .map((line) => {
      const defused = line.replace(/##\[/g, `#${ZWSP}#[`);
      return /^\s*::/.test(defused) ? defused.replace(/^(\s*)::/, `$1${ZWSP}::`) : defused;
    })
    .join('\n');
}

/** One line of remote text (a status, a domain, a message) for a log line: newlines become spaces. */
export function safeLogLine(text: string): string {
  return safeLogText(text).replace(/\n+/g, ' ');
}
