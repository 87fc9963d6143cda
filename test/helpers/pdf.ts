import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/'

/** The text of each page of a PDF, with pdf.js (Mozilla's PDF reader): also proves the file parses. */
export async function pdfText (bytes: Uint8Array): Promise<{ pages: number, text: string[] }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl, verbosity: 0 }).promise
  const text: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    text.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '))
  }
  await doc.destroy()
  return { pages: doc.numPages, text }
}
