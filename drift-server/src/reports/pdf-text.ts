/** Characters the PDF standard fonts' WinAnsi encoding holds beyond Latin-1, as pdfkit maps them. */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function isWinAnsi(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(character);
}

/** Signs the engine's own text uses (bin labels such as "≥ 92040.2"), written the plain way. */
const PLAIN_SIGNS: Readonly<Record<string, string>> = { '≥': '>=', '≤': '<=', '−': '-' };

/**
 * Text the standard fonts can show: the engine's signs written plainly, any other character
 * (which pdfkit would write as unreadable codes) as [U+XXXX], so a name stays unambiguous; the CSV
 * carries it exactly.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const character of text) {
    if (isWinAnsi(character)) out += character;
    else out += PLAIN_SIGNS[character] ?? `[U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`;
  }
  return out;
}
