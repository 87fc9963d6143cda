// Issue 16: the PDF report embeds its fonts (a free font from an npm package) and says it is
// PDF/A-2b: no standard font that a viewer would substitute, text still readable by pdf.js; and
// its column headers are never broken mid-word.
import t from 'tap'
import { build, standardContract, withKeys } from '../helpers/app.js'
import { pdfText } from '../helpers/pdf.js'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/'

/** Every text run of every page with its box, as pdf.js (Mozilla's reader) lays it out. */
async function textBoxes (bytes: Uint8Array): Promise<Array<{ page: number, text: string, x: number, y: number, width: number, pageWidth: number, pageHeight: number }>> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl, verbosity: 0 }).promise
  const out = []
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i)
    const { width: pageWidth, height: pageHeight } = page.getViewport({ scale: 1 })
    for (const item of (await page.getTextContent()).items) {
      if (!('str' in item) || item.str.trim() === '') continue
      out.push({ page: i, text: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, pageWidth, pageHeight })
    }
  }
  await doc.destroy()
  return out
}

t.test('the PDF report embeds every font it uses and carries PDF/A-2b metadata', async (t) => {
  const { call } = await build(t)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'F-1', onderwerp: 'Één storing – “ë” en €', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-02-10T09:30:00+01:00' } })
  t.equal(m.statusCode, 201)
  const d = await call(keys.beheerder, { method: 'POST', url: '/api/v1/diensten', payload: { contract, naam: 'Zaaksysteem', meetinterval: 'PT1M' } })
  t.equal((await call(keys.beheerder, { method: 'POST', url: `/api/v1/diensten/${d.data.id as string}/metingen`, payload: [{ op: '2026-02-10T09:00:00+01:00', beschikbaar: true, responstijdMs: 200 }, { op: '2026-02-10T09:01:00+01:00', beschikbaar: false }] })).statusCode, 200)
  const r = await call(keys.beheerder, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q1' } })
  t.equal(r.statusCode, 201)
  const pdf = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.data.id as string}`, headers: { accept: 'application/pdf' } })
  t.equal(pdf.statusCode, 200)
  const raw = pdf.rawPayload.toString('latin1')
  t.match(raw.slice(0, 8), /^%PDF-1\.7/, 'PDF 1.7')
  const fonts = [...raw.matchAll(/\/Type \/Font\b[\s\S]*?>>/g)].map((x) => x[0])
  t.ok(fonts.length >= 2, `${fonts.length} font dictionaries`)
  t.notMatch(raw, /\/BaseFont \/(Helvetica|Times|Courier|Symbol|ZapfDingbats)/, 'no standard (unembedded) font anywhere')
  const baseFonts = [...raw.matchAll(/\/BaseFont \/([A-Z]{6}\+[\w-]+)/g)].map((x) => x[1] as string)
  t.ok(baseFonts.length >= 2 && baseFonts.every((f) => /\+DejaVuSansCondensed(-Bold)?$/.test(f)), `embedded subsets: ${[...new Set(baseFonts)].join(', ')}`)
  t.equal((raw.match(/\/FontFile2 /g) ?? []).length, (raw.match(/\/Type \/FontDescriptor/g) ?? []).length, 'every font descriptor has its font file')
  t.match(raw, /<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/, 'XMP says PDF/A-2b')
  t.match(raw, /\/OutputIntents/, 'with an sRGB output intent')
  const { text } = await pdfText(pdf.rawPayload)
  const all = text.join('\n')
  t.ok(all.includes('Kwartaalrapportage 2026-Q1'), 'the text is still extractable')
  // Column headers whose longest word is wider than the column were broken mid-word before.
  for (const h of ['Reactie beslist', 'Functieherstel beslist', 'Beschikbaarheid', 'Onbeschikbaar']) {
    t.ok(all.includes(h), `header "${h}" whole, not broken mid-word`)
  }
  t.notMatch(all, /1970/, 'no 1970 date: the first terms hold from the start of the contract')
  t.ok(all.includes('vanaf het begin van het contract'), 'said in words')
  // F-1 had no progress update at all: every missed one is a row of a table that goes on over pages.
  const json = (await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.data.id as string}` })).data
  const gemist = json.voortgang.perMelding.find((v: { kenmerk: string }) => v.kenmerk === 'F-1')?.gemist as number
  t.ok(gemist > 40, `${gemist} missed updates of F-1, more than one page holds`)
  t.ok(all.includes(`1 van ${gemist}`) && all.includes(`${gemist} van ${gemist}`), 'each in a row of its own, the last one too (nothing cut off)')
  const pageOf = (s: string): number => text.findIndex((p) => p.includes(s))
  t.ok(pageOf(`${gemist} van ${gemist}`) > pageOf(`1 van ${gemist}`), 'continued on a later page')
  t.notMatch(all, /…/, 'no cell cut short with an ellipsis')
  t.notMatch(all, /\b(performance|Deadline|p95)\b/i, 'no English words')
  // No text runs off the page: every run lies inside the page, with at least half the margin (25 pt) to spare.
  const boxes = await textBoxes(pdf.rawPayload)
  t.ok(boxes.length > 200, `${boxes.length} text runs`)
  t.ok(boxes.some((b) => Math.abs(b.x - 50) < 3) && boxes.some((b) => b.x + b.width > 400), 'measured where the text really is (left margin at 50 pt, tables to the right)')
  const outside = boxes.filter((b) => b.x < 25 || b.x + b.width > b.pageWidth - 25 || b.y < 10 || b.y > b.pageHeight - 25)
  t.same(outside.map((b) => `p${b.page} "${b.text}" x ${b.x.toFixed(1)}–${(b.x + b.width).toFixed(1)}, y ${b.y.toFixed(1)}`), [], 'no text outside the page')
})
