/**
 * Control characters, and the Unicode line separators and bidirectional overrides that can make
 * a terminal line lie (CVE-2021-42574, "Trojan Source"): C0, DEL, C1, U+2028/2029, U+202A..202E,
 * U+2066..2069.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Makes text safe to print on a terminal: every control character becomes a visible escape
 * (`\n`, `\x1b`, `\u202e`), so a note, a user name or a file name can neither rewrite the screen
 * nor break a one-line message. The stored value is unchanged; only what is printed is escaped.
 *
 * @example escapeControl('a\x1b[2Jb') // 'a\\x1b[2Jb'
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c]
    if (named !== undefined) return named
    const code = c.charCodeAt(0)
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`
  })
}
