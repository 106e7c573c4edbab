import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create } from 'fontkit';

/**
 * The report's typeface, DejaVu Sans (npm dejavu-fonts-ttf, Bitstream Vera licence), embedded in
 * every PDF as a subset: Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic letters and
 * the mathematical signs of the methodology. The PDF standard fonts hold Latin-1 only.
 */
const FONT_DIRECTORY = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export type FontStyle = keyof typeof FONT_FILES;

/** The font files, read once per process; pdfkit registers them by these names. */
export const REPORT_FONTS: Readonly<Record<FontStyle, Buffer>> = {
  regular: readFileSync(path.join(FONT_DIRECTORY, FONT_FILES.regular)),
  bold: readFileSync(path.join(FONT_DIRECTORY, FONT_FILES.bold)),
};

const faces = Object.values(REPORT_FONTS).map((buffer) => create(buffer));

/** True when both weights draw the character; anything else would print as an empty box. */
function drawable(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code >= 0x20 && code !== 0x7f && faces.every((face) => face.hasGlyphForCodePoint(code));
}

/**
 * Text the report font can draw; a character it lacks (CJK ideographs, emoji, control
 * characters) is written as [U+XXXX], so a name stays unambiguous. The CSV carries it exactly.
 */
export function printable(text: string): string {
  let out = '';
  for (const character of text)
    out += drawable(character)
      ? character
      : `[U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`;
  return out;
}
