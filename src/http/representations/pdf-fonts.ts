import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Fonts embedded in the PDF report (issue 16): DejaVu Sans Condensed, a free font (Bitstream Vera
 * licence) from the npm package `dejavu-fonts-ttf`, close to Helvetica's widths. The standard PDF
 * fonts are not embedded (viewers substitute them, PDF/A forbids that) and know only WinAnsi.
 * They are registered under the standard fonts' names, so that every `doc.font('Helvetica…')` of
 * the report, and svg-to-pdfkit's for the charts' text, embeds DejaVu (as a subset).
 */
const FILES = {
  Helvetica: 'DejaVuSansCondensed.ttf',
  'Helvetica-Bold': 'DejaVuSansCondensed-Bold.ttf',
  'Helvetica-Oblique': 'DejaVuSansCondensed-Oblique.ttf',
  'Helvetica-BoldOblique': 'DejaVuSansCondensed-BoldOblique.ttf'
} as const

let loaded: Record<keyof typeof FILES, Buffer> | undefined

function fonts (): Record<keyof typeof FILES, Buffer> {
  if (loaded === undefined) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
    loaded = Object.fromEntries(Object.entries(FILES).map(([name, file]) => [name, readFileSync(join(dir, file))])) as Record<keyof typeof FILES, Buffer>
  }
  return loaded
}

/** The document's first font (PDFDocument's `font` option), so that no standard font enters the file at all. */
export const regularFont = (): Buffer => fonts().Helvetica

/** Registers the embedded fonts under the standard fonts' names. */
export function registerEmbeddedFonts (doc: PDFKit.PDFDocument): void {
  for (const [name, data] of Object.entries(fonts())) doc.registerFont(name, data)
}
