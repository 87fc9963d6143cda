// The report's CSV is safe in Excel and LibreOffice whatever text other systems put in it
// (issue 11, SLA-RULES §10): hostile texts in every free-text cell parse back intact (with the
// documented `'` before a formula character at the start of a line), no row is injected, and no
// physical line of the file starts with a formula character. Then once through the API.
import t from 'tap'
import fc from 'fast-check'
import { parse } from 'csv-parse/sync'
import { rapportageCsv } from '../../src/http/representations/rapportage-csv.js'
import type { RapportDocument } from '../../src/services/rapportages.js'
import { BOOTSTRAP, build, standardContract, withKeys } from '../helpers/app.js'

/** Characters a spreadsheet may read as the start of a formula (OWASP), full-width forms included. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/
/** The documented escape, as the README states it: a `'` before such a character at the start of the cell or of a line in it. */
const atLineStarts = (s: string): string => s.replace(/([\r\n])(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/g, "$1'")
const asCell = (s: string): string => (FORMULA_START.test(s) ? "'" : '') + atLineStarts(s)

/** Parses as a spreadsheet would: any line break outside quotes ends a row. */
const parseCsv = (csv: string): string[][] => parse(csv.replace(/^\uFEFF/, ''), { delimiter: ';', record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true })
const physicalLines = (csv: string): string[] => csv.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)

const FIELDS = [
  'contractNaam', 'leverancier', 'samenvatting', 'kenmerk', 'onderwerp', 'voortgangKenmerk', 'dienstNaam', 'incidentKenmerk',
  'wat', 'respons', 'maatregel', 'recht', 'gevolgen', 'testKenmerk', 'testToelichting', 'opvolging', 'bronKenmerk'
] as const
type Texts = Record<(typeof FIELDS)[number], string>

/** A report with one row in every table, its free texts from `x`. */
function report (x: Texts): RapportDocument {
  const cel = { beslist: 2, binnenNorm: 1, aandeel: 0.5, meldingenBinnenNorm: ['m1'], meldingenBuitenNorm: ['m2'] }
  return {
    id: 'r1', contract: 'c1', contractNaam: x.contractNaam, leverancier: { id: 'l1', naam: x.leverancier }, versie: 1,
    gegenereerdOp: '2026-04-20T08:00:00Z', voorlopig: false, periode: '2026-Q1', van: '2025-12-31T23:00:00Z', tot: '2026-03-31T22:00:00Z',
    oordeel: 'niet-behaald',
    samenvatting: [{ onderdeel: 'Reactie- en functiehersteltijd (3.3)', oordeel: 'niet-behaald', toelichting: x.samenvatting }],
    kpi: {
      norm: 0.85, oordeel: 'niet-behaald',
      perPrioriteit: [{ prioriteit: 2, reactie: cel, functieherstel: cel }],
      totaal: { reactie: cel, functieherstel: cel },
      perMaand: [{ maand: '2026-01', oordeel: 'niet-behaald', perPrioriteit: [{ prioriteit: 2, reactie: cel, functieherstel: cel }] }]
    } as unknown as RapportDocument['kpi'],
    overschrijdingen: [{ melding: 'm2', kenmerk: x.kenmerk, onderwerp: x.onderwerp, prioriteit: 2, klok: 'reactie', deadline: '2026-02-02T10:00:00Z', verbruikt: 'PT5H', norm: 'PT4H' }],
    meldingen: { aantal: 2, perTypeEnPrioriteit: [{ type: 'verstoring', prioriteit: 2, aantal: 2 }] },
    voortgang: { gemist: 1, perMelding: [{ melding: 'm2', kenmerk: x.voortgangKenmerk, prioriteit: 2, gemist: 1, gemistOp: ['2026-02-02T11:00:00Z'] }] },
    beschikbaarheid: [{
      dienst: 'd1', dienstNaam: x.dienstNaam, omgeving: 'productie', maand: '2026-01', beschikbaarheid: 0.97, dekking: 1, venster: 'PT200H',
      beschikbaar: 'PT194H', onbeschikbaar: 'PT6H', onbekend: 'PT0S', uitgesloten: 'PT0S', norm: 0.98, oordeel: 'niet-behaald',
      responstijd: { aantal: 10, gemiddeldMs: 150.5, p95Ms: 300 },
      onderhoudInVenster: [{ onderhoud: 'o1', van: '2026-01-10T10:00:00Z', tot: '2026-01-10T15:00:00Z', soort: 'upgrade', omgeving: 'productie', inVenster: 'PT5H', overtredingen: ['langer-dan-4-uur'] }]
    }],
    beveiligingsincidenten: [{
      melding: 'm3', kenmerk: x.incidentKenmerk, wat: x.wat, gemeldOp: '2026-02-03T09:00:00Z', biv: ['vertrouwelijkheid'], major: true, prioriteit: 1,
      respons: { op: '2026-02-03T09:20:00Z', toelichting: x.respons }, opgelostOp: '2026-02-03T12:00:00Z',
      functieherstel: { status: 'binnen-norm', verbruikt: 'PT3H', norm: 'PT4H' },
      maatregelen: [{ op: '2026-02-10T08:00:00Z', toelichting: x.maatregel }]
    }],
    gebruikers: { opgegevenOp: '2026-04-02T08:00:00Z', gebruikers: 212, rechten: [{ recht: x.recht, gebruikers: 180 }], gevolgen: x.gevolgen },
    restoretests: { aantal: 1, oordeel: 'behaald', tests: [{ id: 't1', kenmerk: x.testKenmerk, uitgevoerdOp: '2026-02-20T13:00:00Z', resultaat: 'geslaagd', toelichting: x.testToelichting, opvolging: x.opvolging }] },
    bronAfwijkingen: [{ melding: 'm1', kenmerk: x.bronKenmerk, klok: 'functieherstel', bron: '2026-03-12T08:30:00Z', eigen: '2026-03-12T10:30:00Z', verschil: 'PT2H', richting: 'bron-eerder', reden: 'pauze-niet-geteld', volgensPrioriteit: null }],
    herkomst: {
      softwareVersie: '1.0.0', normen: [{ versie: 1, geldigVanaf: '2026-01-01', gebruiktVoor: ['kpi', 'beschikbaarheid'] }], invoerHash: 'ab'.repeat(32),
      peilmoment: '2026-04-20T08:00:00Z', aantallen: { meldingen: 3, gebeurtenissen: 7, diensten: 1, restoretests: 1 }
    }
  }
}

/** Where each text must appear: section, data row, column. */
const PLACES: Record<(typeof FIELDS)[number], [string, number, number]> = {
  contractNaam: ['Rapportage', 0, 1], leverancier: ['Rapportage', 2, 1], samenvatting: ['Samenvatting', 0, 2],
  kenmerk: ['Overschrijdingen', 0, 1], onderwerp: ['Overschrijdingen', 0, 2], voortgangKenmerk: ['Voortgangsberichten gemist', 0, 1],
  dienstNaam: ['Beschikbaarheid en performance', 0, 0], incidentKenmerk: ['Beveiligingsincidenten', 0, 1], wat: ['Beveiligingsincidenten', 0, 2],
  respons: ['Beveiligingsincidenten', 0, 7], maatregel: ['Beveiligingsincidenten', 0, 12], recht: ['Gebruikers en rechten', 1, 0],
  gevolgen: ['Gebruikers en rechten', 3, 1], testKenmerk: ['Restoretests', 0, 0], testToelichting: ['Restoretests', 0, 3], opvolging: ['Restoretests', 0, 4],
  bronKenmerk: ['Termijnen volgens de bron', 0, 1]
}

function cellOf (rows: string[][], [name, row, col]: [string, number, number]): string | undefined {
  const start = rows.findIndex((r) => r.length === 1 && r[0] === name)
  return start < 0 ? undefined : rows[start + 2 + row]?.[col]
}

// Pieces that break naive CSV: formula starts, line breaks of every kind, separators, quotes, and
// other text (astral, combining, controls, Unicode line separators).
const piece = fc.constantFrom(
  '=', '+', '-', '@', '\t', '\r', '\n', '\r\n', ';', '"', "'", ',', "cmd|' /C calc'!A0", 'HYPERLINK("http://x")', '1+1', '-2',
  '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', ' ', 'Storing', '3,5', '\u2028', '\u0085', '\u000b', '\f', '\u0000', '😀', '𝄞', 'e\u0301', '\uFEFF'
)
const hostile = fc.oneof(
  fc.array(piece, { maxLength: 8 }).map((xs) => xs.join('')),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.oneof(piece, fc.string({ unit: 'grapheme-ascii', maxLength: 4 })), { maxLength: 10 }).map((xs) => xs.join(''))
)
const textsArb = fc.record(Object.fromEntries(FIELDS.map((f) => [f, hostile])) as Record<(typeof FIELDS)[number], fc.Arbitrary<string>>)

const plainRows = parseCsv(rapportageCsv(report(Object.fromEntries(FIELDS.map((f) => [f, 'tekst'])) as Texts))).length

t.test('every hostile text parses back intact, no row is injected, no physical line starts a formula', async (t) => {
  let checked = 0
  fc.assert(fc.property(textsArb, (x) => {
    const csv = rapportageCsv(report(x))
    const rows = parseCsv(csv)
    if (rows.length !== plainRows) throw new Error(`rows: ${rows.length}, expected ${plainRows}`)
    for (const f of FIELDS) {
      const cell = cellOf(rows, PLACES[f])
      if (f === 'maatregel') {
        // `yyyy-MM-dd HH:mm: <toelichting>`: the text is not at the start of the cell.
        if (cell === undefined || !cell.endsWith(`: ${atLineStarts(x[f])}`)) throw new Error(`${f}: ${JSON.stringify(cell)} for ${JSON.stringify(x[f])}`)
      } else if (cell !== asCell(x[f])) {
        throw new Error(`${f}: ${JSON.stringify(cell)} for ${JSON.stringify(x[f])}`)
      }
    }
    for (const line of physicalLines(csv)) {
      if (FORMULA_START.test(line)) throw new Error(`a line starts with a formula character: ${JSON.stringify(line)}`)
    }
    checked++
  }), { numRuns: 400, seed: 20261130 })
  t.equal(checked, 400, '400 reports of hostile texts')
})

t.test('the known attacks, spelled out', async (t) => {
  const x = Object.fromEntries(FIELDS.map((f) => [f, 'tekst'])) as Texts
  x.onderwerp = "Storing\n=cmd|' /C calc'!A0"
  x.wat = '=HYPERLINK("http://evil")'
  x.gevolgen = 'geen;\r@SUM(1+1)'
  x.testToelichting = '-2+3'
  const csv = rapportageCsv(report(x))
  const rows = parseCsv(csv)
  t.equal(rows.length, plainRows, 'no row injected by the bare LF or CR')
  t.equal(cellOf(rows, PLACES.onderwerp), "Storing\n'=cmd|' /C calc'!A0")
  t.equal(cellOf(rows, PLACES.wat), "'=HYPERLINK(\"http://evil\")")
  t.equal(cellOf(rows, PLACES.gevolgen), "geen;\r'@SUM(1+1)")
  t.equal(cellOf(rows, PLACES.testToelichting), "'-2+3")
  t.ok(csv.includes('"Storing\n\'=cmd|\' /C calc\'!A0"'), 'the multi-line cell is quoted')
  t.notOk(physicalLines(csv).some((l) => FORMULA_START.test(l)))
  // Numbers are written as numbers, with a decimal comma and no quote.
  t.equal(cellOf(rows, ['Beschikbaarheid en performance', 0, 4]), '0,97')
  t.equal(cellOf(rows, ['Beschikbaarheid en performance', 0, 11]), '150,5')
})

t.test('through the API: a hostile onderwerp in a report CSV', async (t) => {
  const now = Date.parse('2026-04-20T10:00:00+02:00')
  const { call } = await build(t, { clock: () => now })
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const onderwerp = "Storing\n=cmd|' /C calc'!A0"
  // Never answered: its reactie clock is breached, so it is listed under Overschrijdingen.
  const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: '+INC-1', onderwerp, type: 'verstoring', prioriteit: 2, gemeldOp: '2026-02-02T09:00:00+01:00' } })
  t.equal(m.statusCode, 201)
  t.equal(m.data.onderwerp, onderwerp, 'stored as sent')
  const r = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q1' } })
  t.equal(r.statusCode, 201)
  const csv = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.data.id as string}`, headers: { accept: 'text/csv' } })
  t.equal(csv.statusCode, 200)
  const rows = parseCsv(csv.body)
  const breach = rows.find((row) => row[0] === m.data.id && row[4] === 'reactie')
  t.ok(breach, 'the breach row')
  t.equal(breach?.[1], "'+INC-1")
  t.equal(breach?.[2], "Storing\n'=cmd|' /C calc'!A0")
  t.notOk(physicalLines(csv.body).some((l) => FORMULA_START.test(l)), 'no physical line starts with a formula character')
})
