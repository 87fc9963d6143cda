// Issue 16, the visual check: every page of a long report rendered to an image (poppler's
// pdftoppm, greyscale PGM) is not blank, and nothing is drawn in the band along its edges, so no
// text or table runs off the page. Long tables (60 breaches, their missed updates) continue over
// pages as tables.
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { build, standardContract, withKeys } from '../helpers/app.js'

const run = promisify(execFile)

/** A binary PGM (P5) as width, height and one byte per pixel (0 black … 255 white). */
function pgm (buf: Buffer): { w: number, h: number, px: Buffer } {
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 50).toString('latin1'))
  if (m === null) throw new Error('not a binary PGM')
  const w = Number(m[1]); const h = Number(m[2])
  return { w, h, px: buf.subarray(m[0].length, m[0].length + w * h) }
}

t.test('every page of a long report: not blank, nothing in the band along the edges', async (t) => {
  const { call } = await build(t)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId, { naam: 'Zaaksysteem met een lange naam die over de regel heen kan lopen als de opmaak niet oplet' })
  for (let i = 0; i < 60; i++) {
    const day = String(2 + (i % 25)).padStart(2, '0')
    const r = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: `LANG-${i}`, onderwerp: `Storing ${i}: ${'een erg lange omschrijving '.repeat(4)}`, type: 'verstoring', prioriteit: 2, gemeldOp: `2026-02-${day}T09:30:00+01:00` } })
    if (r.statusCode !== 201) throw new Error(r.body)
  }
  const rep = await call(keys.beheerder, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q1' } })
  t.equal(rep.statusCode, 201)
  t.ok(rep.data.overschrijdingen.length >= 100, `a long table of breaches (${rep.data.overschrijdingen.length as number})`)
  const pdf = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${rep.data.id as string}`, headers: { accept: 'application/pdf' } })
  t.equal(pdf.statusCode, 200)

  const dir = await mkdtemp(join(tmpdir(), 'pdf-render-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  await writeFile(join(dir, 'r.pdf'), pdf.rawPayload)
  await run('pdftoppm', ['-gray', '-r', '50', join(dir, 'r.pdf'), join(dir, 'p')])
  const pages = (await readdir(dir)).filter((f) => f.endsWith('.pgm')).sort()
  t.ok(pages.length >= 5, `${pages.length} pages rendered`)
  for (const f of pages) {
    const { w, h, px } = pgm(await readFile(join(dir, f)))
    let ink = 0
    let edge = 0
    const band = Math.round(w * 0.03) // ~18 pt of a 595 pt wide A4 page
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if ((px[y * w + x] as number) >= 200) continue
        ink++
        if (x < band || x >= w - band || y < band || y >= h - band) edge++
      }
    }
    t.ok(ink > 500, `${f}: not blank (${ink} dark pixels)`)
    t.equal(edge, 0, `${f}: nothing within ${band} px of an edge`)
  }
})
