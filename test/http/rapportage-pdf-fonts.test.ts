// Issue 16: the PDF report embeds its fonts (a free font from an npm package) and says it is
// PDF/A-2b: no standard font that a viewer would substitute, text still readable by pdf.js; and
// its column headers are never broken mid-word.
import t from 'tap'
import { build, standardContract, withKeys } from '../helpers/app.js'
import { pdfText } from '../helpers/pdf.js'

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
})
