/**
 * Text that came from a student's code (an error message, a line of stderr, a compiler message
 * quoting their source) made safe to print in a terminal, a report or Gradescope: control
 * characters (escape sequences that clear a screen or colour a fake "✓", carriage returns that
 * overwrite a line) and the invisible formatting characters that reorder text (bidirectional
 * overrides) are shown as `\u{…}` escapes instead of acting. Newlines and tabs stay.
 *
 * @module
 */

/** C0 and C1 controls except \t and \n, DEL, and Unicode's bidirectional and invisible format marks. */
function _unsafe(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    (code >= 0x200b && code <= 0x200f) || (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2069) || code === 0xfeff;
}

/**
 * `text` with every unsafe character replaced by a visible escape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { printable } from "./printable.ts";
 * assert.equal(printable("\x1b[2J✓ 57/57\r"), "\\u{1b}[2J✓ 57/57\\u{d}");
 * assert.equal(printable("line 1\n\tline 2"), "line 1\n\tline 2");
 * assert.equal(printable("abc\u202Edef"), "abc\\u{202e}def");
 * ```
 */
export function printable(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += _unsafe(code) ? `\\u{${code.toString(16)}}` : ch;
  }
  return out;
}
