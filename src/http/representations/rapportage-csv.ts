import { stringify } from 'csv-stringify/sync'
import { lokaleTijd, parseDuration, SLA_TIME_ZONE } from '../../core/index.js'
import type { RapportDocument } from '../../services/rapportages.js'
import { BRON_REDEN_KORT } from './bron.js'
import { overigeAfsprakenCsv } from './rapportage-overige.js'

/**
 * The report as CSV for Dutch Excel (SLA-RULES §10): `;` between fields, a decimal comma, UTF-8
 * with a byte order mark (without it Excel reads UTF-8 as Windows-1252), CRLF line ends. One
 * section per table: a row with the section's name, a header row, the rows, an empty row.
 * Times are local (Europe/Amsterdam, `yyyy-MM-dd HH:mm`), durations in hours, shares as
 * unrounded fractions (format them as % in Excel).
 */
/** Numbers stay numbers until written (so the `-` of a number is no formula, below); `cast.number` puts in the comma. */
type Cell = string | number | null | undefined

const uren = (iso: string | null): number | null => (iso === null ? null : parseDuration(iso) / 3_600_000)
const tijd = (iso: string | null): string => (iso === null ? '' : lokaleTijd(iso, SLA_TIME_ZONE))

/** What Excel and LibreOffice may take for the start of a formula (OWASP CSV injection; the full-width forms too, as csv-stringify's `escape_formulas`). */
const FORMULA_AFTER_LINE_BREAK = /([\r\n])(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/g

/**
 * Text from other systems (onderwerp, toelichting, names) is written so that no spreadsheet runs
 * it and no row is injected, whatever it holds (issue 11):
 * - a cell with CR, LF, `;` or `"` is quoted (`quote_record_delimiter`: csv-stringify otherwise
 *   quotes only the record delimiter CRLF, so a bare LF started a new row);
 * - a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (`escape_formulas`;
 *   a number is written as a number, so a negative one is left alone);
 * - and so does each line inside a multi-line cell: after a CR or LF followed by one of those
 *   characters a `'` is put in, so that no physical line of the file starts with a formula
 *   character either, for a reader that splits lines before it looks at quotes.
 * Nothing else is changed: parsed back as CSV, every text is the original with those `'` added.
 */
const CSV_OPTIONS = {
  delimiter: ';',
  record_delimiter: 'windows',
  quote_record_delimiter: true,
  escape_formulas: true,
  cast: {
    string: (s: string): string => s.replace(FORMULA_AFTER_LINE_BREAK, "$1'"),
    number: (x: number): string => String(x).replace('.', ',')
  }
} as const

export function rapportageCsv (r: RapportDocument): string {
  const rows: Cell[][] = []
  const section = (name: string, header: string[], data: Cell[][]): void => {
    rows.push([name], header, ...data, [])
  }
  section('Rapportage', ['veld', 'waarde'], [
    ['contract', r.contractNaam], ['contract-id', r.contract], ['leverancier', r.leverancier.naam], ['periode', r.periode],
    ['van', tijd(r.van)], ['tot', tijd(r.tot)], ['versie', r.versie], ['gegenereerd op', tijd(r.gegenereerdOp)],
    ['voorlopig', r.voorlopig ? 'ja' : 'nee'], ['oordeel', r.oordeel]
  ])
  section('Samenvatting', ['onderdeel', 'oordeel', 'toelichting'], r.samenvatting.map((s) => [s.onderdeel, s.oordeel, s.toelichting]))
  const kpiRows = (k: RapportDocument['kpi']): Cell[][] => [
    ...k.perPrioriteit.flatMap((p) => (['reactie', 'functieherstel'] as const).flatMap((klok) => {
      const c = p[klok]
      return c === null ? [] : [[p.prioriteit, klok, c.beslist, c.binnenNorm, c.aandeel, k.norm, c.meldingenBuitenNorm.join(' ')]]
    })),
    ...(['reactie', 'functieherstel'] as const).map((klok) => {
      const c = k.totaal[klok]
      return ['totaal', klok, c.beslist, c.binnenNorm, c.aandeel, k.norm, c.meldingenBuitenNorm.join(' ')]
    })
  ]
  section('KPI per prioriteit', ['prioriteit', 'klok', 'beslist', 'binnen norm', 'aandeel', 'norm', 'meldingen buiten norm'], kpiRows(r.kpi))
  section('KPI per maand', ['maand', 'prioriteit', 'klok', 'beslist', 'binnen norm', 'aandeel', 'oordeel maand'], r.kpi.perMaand.flatMap((m) =>
    m.perPrioriteit.flatMap((p) => (['reactie', 'functieherstel'] as const).flatMap((klok) => {
      const c = p[klok]
      return c === null ? [] : [[m.maand, p.prioriteit, klok, c.beslist, c.binnenNorm, c.aandeel, m.oordeel]]
    }))))
  section('Overschrijdingen', ['melding', 'kenmerk', 'onderwerp', 'prioriteit', 'klok', 'deadline', 'verbruikt (uren)', 'norm (uren)'],
    r.overschrijdingen.map((o) => [o.melding, o.kenmerk, o.onderwerp, o.prioriteit, o.klok, tijd(o.deadline), uren(o.verbruikt), uren(o.norm)]))
  section('Meldingen per type en prioriteit', ['type', 'prioriteit', 'aantal'], r.meldingen.perTypeEnPrioriteit.map((m) => [m.type, m.prioriteit, m.aantal]))
  section('Voortgangsberichten gemist', ['melding', 'kenmerk', 'prioriteit', 'gemist', 'verwacht op'],
    r.voortgang.perMelding.map((v) => [v.melding, v.kenmerk, v.prioriteit, v.gemist, v.gemistOp.map(tijd).join(' | ')]))
  section('Beschikbaarheid en performance', ['dienst', 'dienst-id', 'omgeving', 'maand', 'beschikbaarheid', 'dekking', 'norm', 'oordeel', 'onbeschikbaar (uren)', 'onbekend (uren)', 'uitgesloten (uren)', 'responstijd gemiddeld (ms)', 'responstijd p95 (ms)', 'metingen met responstijd'],
    r.beschikbaarheid.map((b) => [b.dienstNaam, b.dienst, b.omgeving, b.maand, b.beschikbaarheid, b.dekking, b.norm, b.oordeel, uren(b.onbeschikbaar), uren(b.onbekend), uren(b.uitgesloten), b.responstijd.gemiddeldMs, b.responstijd.p95Ms, b.responstijd.aantal]))
  section('Onderhoud in het venster', ['dienst', 'maand', 'soort', 'omgeving', 'van', 'tot', 'in venster (uren)', 'overtredingen'],
    r.beschikbaarheid.flatMap((b) => b.onderhoudInVenster.map((o) => [b.dienstNaam, b.maand, o.soort, o.omgeving, tijd(o.van), tijd(o.tot), uren(o.inVenster), o.overtredingen.join(' ')])))
  section('Beveiligingsincidenten', ['melding', 'kenmerk', 'wat', 'gemeld op', 'BIV', 'major', 'respons op', 'respons', 'opgelost op', 'functiehersteltijd (uren)', 'norm (uren)', 'status', 'maatregelen'],
    r.beveiligingsincidenten.map((b) => [b.melding, b.kenmerk, b.wat, tijd(b.gemeldOp), b.biv.join(' '), b.major ? 'ja' : 'nee', tijd(b.respons?.op ?? null), b.respons?.toelichting ?? '',
      tijd(b.opgelostOp), uren(b.functieherstel.verbruikt), uren(b.functieherstel.norm), b.functieherstel.status, b.maatregelen.map((m) => `${tijd(m.op)}: ${m.toelichting}`).join(' | ')]))
  section('Gebruikers en rechten', ['recht', 'gebruikers'], r.gebruikers === null
    ? [['niet opgegeven', '']]
    : [['totaal', r.gebruikers.gebruikers], ...r.gebruikers.rechten.map((x) => [x.recht, x.gebruikers]), ['opgegeven op', tijd(r.gebruikers.opgegevenOp)], ['gevolgen', r.gebruikers.gevolgen]])
  section('Restoretests', ['kenmerk', 'uitgevoerd op', 'resultaat', 'toelichting', 'opvolging'],
    r.restoretests.tests.map((t) => [t.kenmerk, tijd(t.uitgevoerdOp), t.resultaat, t.toelichting, t.opvolging]))
  section('Termijnen volgens de bron', ['melding', 'kenmerk', 'klok', 'termijn bron', 'termijn SLA-monitor', 'verschil (uren)', 'richting', 'waarschijnlijke reden'],
    (r.bronAfwijkingen ?? []).map((b) => [b.melding, b.kenmerk, b.klok, tijd(b.bron), tijd(b.eigen), uren(b.verschil), b.richting === 'bron-later' ? 'bron later' : 'bron eerder', b.reden === null ? 'onbekend' : BRON_REDEN_KORT[b.reden]]))
  const overige = overigeAfsprakenCsv(r, tijd)
  if (overige !== null) section(overige.name, overige.header, overige.rows)
  section('Herkomst', ['veld', 'waarde'], [
    ['softwareversie', r.herkomst.softwareVersie], ['invoer-hash (SHA-256)', r.herkomst.invoerHash], ['peilmoment', tijd(r.herkomst.peilmoment)],
    ...r.herkomst.normen.map((n) => [`normen versie ${n.versie}`, `geldig vanaf ${n.geldigVanaf}; gebruikt voor ${n.gebruiktVoor.join(', ')}`]),
    ['meldingen', r.herkomst.aantallen.meldingen], ['gebeurtenissen', r.herkomst.aantallen.gebeurtenissen], ['diensten', r.herkomst.aantallen.diensten]
  ])
  return '\uFEFF' + stringify(rows, CSV_OPTIONS)
}
