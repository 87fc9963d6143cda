import { stringify } from 'csv-stringify/sync'
import { lokaleTijd, parseDuration, SLA_TIME_ZONE } from '../../core/index.js'
import type { RapportDocument } from '../../services/rapportages.js'

/**
 * The report as CSV for Dutch Excel (SLA-RULES §10): `;` between fields, a decimal comma, UTF-8
 * with a byte order mark (without it Excel reads UTF-8 as Windows-1252), CRLF line ends. One
 * section per table: a row with the section's name, a header row, the rows, an empty row.
 * Times are local (Europe/Amsterdam, `yyyy-MM-dd HH:mm`), durations in hours, shares as
 * unrounded fractions (format them as % in Excel).
 */
type Cell = string | number | null | undefined

const num = (x: number | null | undefined): string => (x === null || x === undefined ? '' : String(x).replace('.', ','))
const uren = (iso: string | null): string => (iso === null ? '' : num(parseDuration(iso) / 3_600_000))
const tijd = (iso: string | null): string => (iso === null ? '' : lokaleTijd(iso, SLA_TIME_ZONE))
/** Text from other systems must not run as an Excel formula (CSV injection): such a cell gets a leading quote. */
const safe = (s: string): string => (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(,\d+)?$/.test(s) ? `'${s}` : s)

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
      return c === null ? [] : [[p.prioriteit, klok, c.beslist, c.binnenNorm, num(c.aandeel), num(k.norm), c.meldingenBuitenNorm.join(' ')]]
    })),
    ...(['reactie', 'functieherstel'] as const).map((klok) => {
      const c = k.totaal[klok]
      return ['totaal', klok, c.beslist, c.binnenNorm, num(c.aandeel), num(k.norm), c.meldingenBuitenNorm.join(' ')]
    })
  ]
  section('KPI per prioriteit', ['prioriteit', 'klok', 'beslist', 'binnen norm', 'aandeel', 'norm', 'meldingen buiten norm'], kpiRows(r.kpi))
  section('KPI per maand', ['maand', 'prioriteit', 'klok', 'beslist', 'binnen norm', 'aandeel', 'oordeel maand'], r.kpi.perMaand.flatMap((m) =>
    m.perPrioriteit.flatMap((p) => (['reactie', 'functieherstel'] as const).flatMap((klok) => {
      const c = p[klok]
      return c === null ? [] : [[m.maand, p.prioriteit, klok, c.beslist, c.binnenNorm, num(c.aandeel), m.oordeel]]
    }))))
  section('Overschrijdingen', ['melding', 'kenmerk', 'onderwerp', 'prioriteit', 'klok', 'deadline', 'verbruikt (uren)', 'norm (uren)'],
    r.overschrijdingen.map((o) => [o.melding, o.kenmerk, o.onderwerp, o.prioriteit, o.klok, tijd(o.deadline), uren(o.verbruikt), uren(o.norm)]))
  section('Meldingen per type en prioriteit', ['type', 'prioriteit', 'aantal'], r.meldingen.perTypeEnPrioriteit.map((m) => [m.type, m.prioriteit, m.aantal]))
  section('Voortgangsberichten gemist', ['melding', 'kenmerk', 'prioriteit', 'gemist', 'verwacht op'],
    r.voortgang.perMelding.map((v) => [v.melding, v.kenmerk, v.prioriteit, v.gemist, v.gemistOp.map(tijd).join(' | ')]))
  section('Beschikbaarheid en performance', ['dienst', 'dienst-id', 'omgeving', 'maand', 'beschikbaarheid', 'dekking', 'norm', 'oordeel', 'onbeschikbaar (uren)', 'onbekend (uren)', 'uitgesloten (uren)', 'responstijd gemiddeld (ms)', 'responstijd p95 (ms)', 'metingen met responstijd'],
    r.beschikbaarheid.map((b) => [b.dienstNaam, b.dienst, b.omgeving, b.maand, num(b.beschikbaarheid), num(b.dekking), num(b.norm), b.oordeel, uren(b.onbeschikbaar), uren(b.onbekend), uren(b.uitgesloten), num(b.responstijd.gemiddeldMs), num(b.responstijd.p95Ms), b.responstijd.aantal]))
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
  section('Herkomst', ['veld', 'waarde'], [
    ['softwareversie', r.herkomst.softwareVersie], ['invoer-hash (SHA-256)', r.herkomst.invoerHash], ['peilmoment', tijd(r.herkomst.peilmoment)],
    ...r.herkomst.normen.map((n) => [`normen versie ${n.versie}`, `geldig vanaf ${n.geldigVanaf}; gebruikt voor ${n.gebruiktVoor.join(', ')}`]),
    ['meldingen', r.herkomst.aantallen.meldingen], ['gebeurtenissen', r.herkomst.aantallen.gebeurtenissen], ['diensten', r.herkomst.aantallen.diensten]
  ])
  return '\uFEFF' + stringify(rows.map((row) => row.map((c) => (c === null || c === undefined ? '' : safe(String(c))))), { delimiter: ';', record_delimiter: 'windows' })
}
