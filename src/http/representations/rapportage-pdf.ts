import { DateTime } from 'luxon'
import PDFDocument from 'pdfkit'
import SVGtoPDF from 'svg-to-pdfkit'
import { lokaleTijd, parseDuration, SLA_TIME_ZONE } from '../../core/index.js'
import type { RapportDocument } from '../../services/rapportages.js'
import { beschikbaarheidChart, kpiChart, meldingenChart, toSvg } from './charts.js'
import { BRON_REDEN_KORT } from './bron.js'
import { overigeAfsprakenPdf } from './rapportage-overige.js'
import { registerEmbeddedFonts, regularFont } from './pdf-fonts.js'

/**
 * The report as an A4 PDF for the tactical meeting (SLA 3.8): a cover with the overall verdict
 * and the verdicts per part, then KPI, meldingen, availability and performance with charts,
 * breaches, missed progress updates, maintenance, security incidents, users, restore tests and
 * provenance. Made from the stored report only, so it shows exactly its numbers. Times in
 * Europe/Amsterdam. Deterministic: the PDF's dates are the report's own.
 */

const MARGIN = 50
const WIDTH = 595.28 - 2 * MARGIN
const COLORS: Record<string, string> = {
  behaald: '#1b7f3b', 'niet-behaald': '#c62828', onvolledig: '#b26a00', 'onvoldoende-meetdata': '#b26a00', ontbreekt: '#b26a00', 'geen-meldingen': '#607d8b', gerapporteerd: '#607d8b'
}
const LABELS: Record<string, string> = {
  behaald: 'BEHAALD', 'niet-behaald': 'NIET BEHAALD', onvolledig: 'ONVOLLEDIG', 'onvoldoende-meetdata': 'ONVOLDOENDE MEETDATA', ontbreekt: 'ONTBREEKT', 'geen-meldingen': 'GEEN MELDINGEN', gerapporteerd: 'GERAPPORTEERD'
}
const DIENSTEN_PER_CHART = 20
/** Codes of the core in the words of a report (issue 16). */
const WOORDEN: Record<string, string> = {
  'langer-dan-4-uur': 'langer dan 4 uur', 'binnen-kantooruren': 'binnen kantooruren',
  behaald: 'binnen de norm', verlopen: 'norm overschreden', lopend: 'loopt nog', gepauzeerd: 'gepauzeerd', nvt: 'niet van toepassing'
}

/** The standard PDF fonts encode WinAnsi only: anything else from other systems becomes '?'. */
const clean = (s: string): string => s.replace(/[^\n\x20-\x7E\xA0-\xFF\u2013\u2014\u2018\u2019\u201C\u201D\u2026\u20AC]/g, '?')
const tijd = (iso: string | null): string => (iso === null ? '–' : lokaleTijd(iso, SLA_TIME_ZONE))
const pct = (x: number | null, digits = 1): string => (x === null ? '–' : `${(x * 100).toFixed(digits).replace('.', ',')} %`)
/** The overall verdict's reason in words: which parts decided it, each with its own explanation. */
export function oordeelInWoorden (r: Pick<RapportDocument, 'oordeel' | 'samenvatting'>): string {
  const delen = (oordelen: readonly string[]): string => r.samenvatting.filter((s) => oordelen.includes(s.oordeel))
    .map((s) => `${s.onderdeel}: ${(LABELS[s.oordeel] ?? s.oordeel).toLowerCase()} (${s.toelichting})`).join('; ')
  if (r.oordeel === 'niet-behaald') return `Niet behaald, omdat: ${delen(['niet-behaald'])}.`
  if (r.oordeel === 'onvolledig') return `Onvolledig: geen onderdeel is niet behaald, maar gegevens ontbreken bij ${delen(['onvoldoende-meetdata', 'ontbreekt'])}.`
  return 'Behaald: elk onderdeel dat meetelt is behaald.'
}

/** Why a security incident has the priority it has, in words (R-PRI-2, R-PRI-4). */
const PRIORITEIT_WAAROM: Record<string, string> = {
  'R-PRI-4': ' (een melding over de testomgeving heeft altijd prioriteit 4, R-PRI-4)',
  'R-PRI-2': ' (een beveiligingsincident op productie heeft prioriteit 1, R-PRI-2)'
}

const uren = (iso: string | null): string => (iso === null ? '–' : `${(parseDuration(iso) / 3_600_000).toFixed(1).replace('.', ',')} u`)
const ms = (x: number | null): string => (x === null ? '–' : `${Math.round(x)} ms`)
const datum = (iso: string, offsetMs = 0): string =>
  DateTime.fromMillis(DateTime.fromISO(iso).toMillis() + offsetMs, { zone: SLA_TIME_ZONE }).setLocale('nl').toFormat('d MMMM yyyy')

type Doc = InstanceType<typeof PDFDocument>

/** A contract's first terms are stored from 1970-01-01: "from the start" to a reader. */
const vanaf = (datum: string): string => (datum <= '1970-01-01' ? 'vanaf het begin van het contract' : `vanaf ${datum}`)

function heading (doc: Doc, text: string): void {
  if (doc.y > 842 - MARGIN - 120) doc.addPage()
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(14).fillColor('#1f3b57').text(clean(text), MARGIN, doc.y, { width: WIDTH })
  doc.moveDown(0.3).font('Helvetica').fontSize(9).fillColor('black')
}

function paragraph (doc: Doc, text: string): void {
  doc.font('Helvetica').fontSize(9).fillColor('black').text(clean(text), MARGIN, doc.y, { width: WIDTH })
  doc.moveDown(0.4)
}

interface Cell { text: string, color?: string | undefined, bold?: boolean | undefined }

/** A table with a repeated header; rows that do not fit start a new page. */
function table (doc: Doc, header: readonly string[], widths: readonly number[], rows: ReadonlyArray<ReadonlyArray<string | Cell>>): void {
  const total = widths.reduce((s, w) => s + w, 0)
  const columnStyles = widths.map((w) => (w / total) * WIDTH)
  // A header word wider than its column would be broken mid-word ("Functieherste l"): such a
  // header gets a smaller size, down to 5.5 pt, at which its longest word fits (issue 16).
  const headerSize = (h: string, w: number): number => {
    const longest = h.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '')
    let size = 8
    doc.font('Helvetica-Bold')
    while (size > 5.5 && doc.fontSize(size).widthOfString(longest) > w - 7) size -= 0.25
    return size
  }
  const headerRow = header.map((h, i) => ({ text: clean(h), font: { src: 'Helvetica-Bold', size: headerSize(clean(h), columnStyles[i] ?? WIDTH) }, backgroundColor: '#e8eef4', type: 'TH' as const }))
  const bodyRow = (r: ReadonlyArray<string | Cell>): Array<Record<string, unknown>> => r.map((c) => {
    const cell = typeof c === 'string' ? { text: c } : c
    return { text: clean(cell.text), ...(cell.color === undefined ? {} : { textColor: cell.color }), ...(cell.bold === true ? { font: { src: 'Helvetica-Bold' } } : {}) }
  })
  doc.font('Helvetica').fontSize(8).fillColor('black')
  // Never a header alone at the foot of a page: it starts where a first row fits below it.
  if (doc.y > 842 - MARGIN - 60) { doc.addPage(); doc.font('Helvetica').fontSize(8) }
  let t = doc.table({ position: { x: MARGIN }, columnStyles, defaultStyle: { border: 0.5, borderColor: '#b0b8c0', padding: 3 } })
  t.row(headerRow)
  for (const r of rows) {
    // pdfkit does not break tables across pages itself: end this one and start again with the header.
    if (doc.y > 842 - MARGIN - 30) {
      t.end()
      doc.addPage()
      doc.font('Helvetica').fontSize(8)
      t = doc.table({ position: { x: MARGIN }, columnStyles, defaultStyle: { border: 0.5, borderColor: '#b0b8c0', padding: 3 } })
      t.row(headerRow)
    }
    t.row(bodyRow(r) as never)
  }
  t.end()
  doc.x = MARGIN
  doc.moveDown(0.6)
}

const verdict = (o: string): Cell => ({ text: LABELS[o] ?? o, color: COLORS[o], bold: true })

async function chart (doc: Doc, svg: string, width: number, height: number): Promise<void> {
  if (doc.y + height > 842 - MARGIN) doc.addPage()
  // The root element's own size wins over the options' viewport: set it to the size wanted, and
  // the viewBox scales the drawing into it.
  const sized = svg.replace(/^(<svg[^>]*?)\swidth="[\d.]+"\sheight="[\d.]+"/, `$1 width="${width}" height="${height}"`)
  SVGtoPDF(doc, sized, MARGIN, doc.y, { width, height, assumePt: true })
  doc.y += height + 8
  doc.x = MARGIN
}

/** Width and height of a rendered vega SVG. */
function sizeOf (svg: string): { width: number, height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg)
  return { width: Number(m?.[1] ?? 500), height: Number(m?.[2] ?? 250) }
}

async function drawChart (doc: Doc, svg: string): Promise<void> {
  const size = sizeOf(svg)
  const scale = Math.min(1, WIDTH / size.width)
  await chart(doc, svg, size.width * scale, size.height * scale)
}

export async function rapportagePdf (r: RapportDocument): Promise<Buffer> {
  const made = new Date(r.gegenereerdOp)
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    font: regularFont() as unknown as string,   // embedded (pdf-fonts.ts); pdfkit takes a Buffer too
    subset: 'PDF/A-2b', pdfVersion: '1.7',       // archival metadata (XMP, sRGB output intent); needs the embedded fonts
    info: {
      Title: `Kwartaalrapportage ${r.periode} – ${r.contractNaam}`,
      Author: 'SLA-monitor gemeente Midden-Groningen',
      Subject: `SLA-rapportage ${r.periode}, versie ${r.versie}`,
      CreationDate: made,
      ModDate: made
    }
  })
  registerEmbeddedFonts(doc)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => { resolve(Buffer.concat(chunks)) })
    doc.on('error', reject)
  })

  // Charts first (async), so that the document is written in one go.
  const kpiRows = r.kpi.perPrioriteit.flatMap((p) => (['reactie', 'functieherstel'] as const).flatMap((klok) => {
    const c = p[klok]
    return c === null || c.aandeel === null ? [] : [{ prioriteit: `P${p.prioriteit}`, klok, aandeel: c.aandeel, beslist: c.beslist }]
  }))
  const kpiSvg = kpiRows.length === 0 ? null : await toSvg(kpiChart(kpiRows, r.kpi.norm))
  const meldingRows = r.meldingen.perTypeEnPrioriteit.filter((m) => m.aantal > 0).map((m) => ({ type: m.type, prioriteit: `P${m.prioriteit}`, aantal: m.aantal }))
  const meldingenSvg = meldingRows.length === 0 ? null : await toSvg(meldingenChart(meldingRows))
  const measured = r.beschikbaarheid.filter((b): b is typeof b & { beschikbaarheid: number } => b.beschikbaarheid !== null)
  const dienstNamen = [...new Set(measured.map((b) => `${b.dienstNaam}${b.omgeving === 'test' ? ' (test)' : ''}`))]
  const norm = r.beschikbaarheid[0]?.norm ?? 0.98
  const beschikbaarheidSvgs: string[] = []
  for (let i = 0; i < dienstNamen.length; i += DIENSTEN_PER_CHART) {
    const names = new Set(dienstNamen.slice(i, i + DIENSTEN_PER_CHART))
    const rows = measured.map((b) => ({ dienst: clean(`${b.dienstNaam}${b.omgeving === 'test' ? ' (test)' : ''}`), maand: b.maand, beschikbaarheid: b.beschikbaarheid }))
      .filter((b) => names.has(b.dienst))
    const part = dienstNamen.length > DIENSTEN_PER_CHART ? ` (${i / DIENSTEN_PER_CHART + 1} van ${Math.ceil(dienstNamen.length / DIENSTEN_PER_CHART)})` : ''
    beschikbaarheidSvgs.push(await toSvg(beschikbaarheidChart(rows, norm, `Beschikbaarheid per dienst per maand, norm ${pct(norm)}${part}`)))
  }

  // Cover.
  doc.font('Helvetica').fontSize(10).fillColor('#5a6b7b').text('Gemeente Midden-Groningen · SLA-monitor', MARGIN, 70)
  doc.moveDown(2).font('Helvetica-Bold').fontSize(26).fillColor('#1f3b57').text(`Kwartaalrapportage ${r.periode}`)
  doc.moveDown(0.3).font('Helvetica').fontSize(12).fillColor('black')
  doc.text(`${datum(r.van)} tot en met ${datum(r.tot, -1)}`)
  doc.moveDown(1.2).fontSize(11)
  const facts: Array<[string, string]> = [
    ['Contract', r.contractNaam], ['Leverancier', r.leverancier.naam], ['Periode', r.periode],
    ['Versie', `${r.versie}, gegenereerd ${tijd(r.gegenereerdOp)}`], ['Normen', r.herkomst.normen.map((n) => `versie ${n.versie} (${vanaf(n.geldigVanaf)})`).join(', ')]
  ]
  for (const [k, v] of facts) {
    const y = doc.y
    doc.font('Helvetica-Bold').text(`${k}:`, MARGIN, y, { width: 100 })
    doc.font('Helvetica').text(clean(v), MARGIN + 100, y, { width: WIDTH - 100 })
  }
  doc.moveDown(1.5)
  const boxY = doc.y
  doc.rect(MARGIN, boxY, WIDTH, 56).fill(COLORS[r.oordeel] ?? '#333')
  doc.fillColor('white').font('Helvetica').fontSize(11).text('Oordeel over het kwartaal', MARGIN + 16, boxY + 10)
  doc.font('Helvetica-Bold').fontSize(20).text(LABELS[r.oordeel] ?? r.oordeel, MARGIN + 16, boxY + 26)
  doc.fillColor('black').font('Helvetica').fontSize(9)
  doc.y = boxY + 70
  doc.x = MARGIN
  paragraph(doc, oordeelInWoorden(r))
  if (r.voorlopig) paragraph(doc, 'VOORLOPIG: gemaakt voordat het kwartaal afliep; latere gebeurtenissen kunnen de cijfers nog veranderen.')
  heading(doc, 'Kerncijfers')
  const laagste = r.beschikbaarheid.filter((b) => b.omgeving === 'productie' && b.beschikbaarheid !== null)
    .sort((a, b) => (a.beschikbaarheid as number) - (b.beschikbaarheid as number))[0]
  table(doc, ['Gegeven', 'Waarde'], [4, 6], [
    ['Meldingen gemeld in het kwartaal', String(r.meldingen.aantal)],
    ['Reactietijd binnen norm', `${pct(r.kpi.totaal.reactie.aandeel)} van ${r.kpi.totaal.reactie.beslist} beslist`],
    ['Functiehersteltijd binnen norm', `${pct(r.kpi.totaal.functieherstel.aandeel)} van ${r.kpi.totaal.functieherstel.beslist} beslist`],
    ['Overschrijdingen', String(r.overschrijdingen.length)],
    ['Laagste beschikbaarheid (productie)', laagste === undefined ? '–' : `${pct(laagste.beschikbaarheid, 2)}: ${laagste.dienstNaam}, ${laagste.maand}`],
    ['Beveiligingsincidenten', String(r.beveiligingsincidenten.length)],
    ['Voortgangsberichten gemist', String(r.voortgang.gemist)]
  ])
  heading(doc, 'Samenvatting')
  table(doc, ['Onderdeel (SLA)', 'Oordeel', 'Toelichting'], [3, 2, 5], r.samenvatting.map((s) => [s.onderdeel, verdict(s.oordeel), s.toelichting]))
  paragraph(doc, `Elk getal in deze rapportage is herleidbaar: de JSON-versie noemt per cijfer de meldingen erachter. Invoer-hash (SHA-256): ${r.herkomst.invoerHash}.`)

  // KPI.
  doc.addPage()
  heading(doc, 'Reactie- en functiehersteltijd (SLA 3.3)')
  paragraph(doc, `Per prioriteit de klokken die in het kwartaal zijn beslist (R-KPI-1), het aantal binnen de norm en het aandeel; de prestatienorm is ${pct(r.kpi.norm, 0)} voor elke prioriteit met beslissingen. Prioriteit 1 heeft geen reactietijd.`)
  const cel = (c: { beslist: number, binnenNorm: number, aandeel: number | null } | null): string[] => c === null ? ['n.v.t.', '', ''] : [String(c.beslist), String(c.binnenNorm), pct(c.aandeel)]
  const kleur = (c: { aandeel: number | null } | null): Cell | string => c === null || c.aandeel === null ? '–' : verdict(c.aandeel >= r.kpi.norm ? 'behaald' : 'niet-behaald')
  table(doc, ['Prio', 'Reactie beslist', 'binnen norm', 'aandeel', 'oordeel', 'Functieherstel beslist', 'binnen norm', 'aandeel', 'oordeel'], [1.5, 2, 2, 2, 2.4, 2.4, 2, 2, 2.4], [
    ...r.kpi.perPrioriteit.map((p) => [`P${p.prioriteit}`, ...cel(p.reactie), kleur(p.reactie), ...cel(p.functieherstel), kleur(p.functieherstel)]),
    [{ text: 'Totaal', bold: true }, ...cel(r.kpi.totaal.reactie), '', ...cel(r.kpi.totaal.functieherstel), '']
  ])
  paragraph(doc, `Oordeel KPI (R-KPI-3): ${LABELS[r.kpi.oordeel] ?? r.kpi.oordeel}. Per maand: ${r.kpi.perMaand.map((m) => `${m.maand} ${LABELS[m.oordeel] ?? m.oordeel}`).join('; ')}.`)
  if (kpiSvg !== null) await drawChart(doc, kpiSvg)
  heading(doc, 'Meldingen in het kwartaal')
  paragraph(doc, `${r.meldingen.aantal} meldingen gemeld in het kwartaal, per type en (uiteindelijke) prioriteit.`)
  if (meldingenSvg !== null) await drawChart(doc, meldingenSvg)

  // Availability and performance.
  doc.addPage()
  heading(doc, 'Beschikbaarheid en prestaties (SLA 3.5)')
  paragraph(doc, 'Per dienst en maand, binnen het servicevenster 07:00–23:00 (ook weekend en feestdagen), na uitsluitingen op verzoek van de gemeente of door gemeentelijke infrastructuur. Gepland onderhoud telt mee (R-BES-6). Onder 95 % dekking geen oordeel (R-BES-5).')
  for (const svg of beschikbaarheidSvgs) await drawChart(doc, svg)
  table(doc, ['Dienst', 'Maand', 'Beschikbaarheid', 'Dekking', 'Oordeel', 'Onbeschikbaar', 'Gem. respons', 'Respons 95 %'], [4, 1.6, 2, 1.6, 2.6, 2, 1.8, 1.8],
    r.beschikbaarheid.map((b) => [`${b.dienstNaam}${b.omgeving === 'test' ? ' (test)' : ''}`, b.maand, pct(b.beschikbaarheid, 2), pct(b.dekking), verdict(b.oordeel), uren(b.onbeschikbaar), ms(b.responstijd.gemiddeldMs), ms(b.responstijd.p95Ms)]))
  const onderhoud = r.beschikbaarheid.flatMap((b) => b.onderhoudInVenster.map((o) => ({ b, o })))
  heading(doc, 'Onderhoud en upgrades in het servicevenster (SLA 3.5, 3.7)')
  if (onderhoud.length === 0) paragraph(doc, 'Geen onderhoud in het servicevenster.')
  else {
    table(doc, ['Dienst', 'Soort', 'Van', 'Tot', 'In venster', 'Overtreding'], [3, 1.5, 2.3, 2.3, 1.5, 3],
      onderhoud.map(({ b, o }) => [b.dienstNaam, o.soort, tijd(o.van), tijd(o.tot), uren(o.inVenster), o.overtredingen.length === 0 ? '–' : { text: o.overtredingen.map((x) => WOORDEN[x] ?? x).join('; '), color: COLORS['niet-behaald'] }]))
  }

  // Breaches and progress updates.
  heading(doc, `Overschrijdingen (${r.overschrijdingen.length})`)
  if (r.overschrijdingen.length === 0) paragraph(doc, 'Geen klok over de uiterste tijd in dit kwartaal.')
  else {
    table(doc, ['Kenmerk', 'Onderwerp', 'Prio', 'Klok', 'Uiterlijk', 'Verbruikt', 'Norm'], [2, 5, 0.8, 2.2, 2.4, 1.4, 1.2],
      r.overschrijdingen.map((o) => [o.kenmerk, o.onderwerp.slice(0, 80), `P${o.prioriteit}`, o.klok, tijd(o.deadline), uren(o.verbruikt), uren(o.norm)]))
  }
  heading(doc, `Voortgangsberichten gemist (${r.voortgang.gemist})`)
  if (r.voortgang.perMelding.length === 0) paragraph(doc, 'Geen voortgangsbericht gemist (SLA 3.4, R-COM).')
  else {
    // One row per missed update (a melding may miss hundreds): the table goes on over pages.
    table(doc, ['Kenmerk', 'Prio', 'Gemist', 'Verwacht op'], [2.5, 1, 1.4, 7.6],
      r.voortgang.perMelding.flatMap((v) => v.gemistOp.map((op, i) => [i === 0 ? v.kenmerk : '', i === 0 ? `P${v.prioriteit}` : '', `${i + 1} van ${v.gemist}`, tijd(op)])))
  }

  // Security incidents.
  heading(doc, `Beveiligingsincidenten (SLA 7.3): ${r.beveiligingsincidenten.length}`)
  if (r.beveiligingsincidenten.length === 0) paragraph(doc, 'Geen informatiebeveiligingsincidenten gemeld of open in het kwartaal.')
  for (const b of r.beveiligingsincidenten) {
    if (doc.y > 842 - MARGIN - 90) doc.addPage()
    doc.font('Helvetica-Bold').fontSize(10).text(clean(`${b.kenmerk}: ${b.wat}`), MARGIN, doc.y, { width: WIDTH })
    doc.font('Helvetica').fontSize(9)
    paragraph(doc, [
      `Gemeld ${tijd(b.gemeldOp)}; BIV: ${b.biv.length === 0 ? 'niet opgegeven' : b.biv.join(', ')}${b.major ? '; MAJOR (CISO direct geïnformeerd)' : ''}.`,
      `Respons: ${b.respons === null ? 'nog geen' : `${tijd(b.respons.op)}${b.respons.toelichting === null ? '' : ` – ${b.respons.toelichting}`}`}.`,
      `Opgelost: ${tijd(b.opgelostOp)}; functiehersteltijd bij prioriteit ${b.prioriteit}${PRIORITEIT_WAAROM[b.prioriteitRegel ?? ''] ?? ''}: ${uren(b.functieherstel.verbruikt)} van ${uren(b.functieherstel.norm)} (${WOORDEN[b.functieherstel.status] ?? b.functieherstel.status}).`,
      `Maatregelen: ${b.maatregelen.length === 0 ? 'geen geregistreerd' : b.maatregelen.map((m) => `${tijd(m.op)} ${m.toelichting}`).join('; ')}.`
    ].join('\n'))
  }

  // Users and restore tests.
  heading(doc, 'Gebruikers en rechten (SLA 3.8)')
  if (r.gebruikers === null) paragraph(doc, 'De leverancier heeft voor dit kwartaal geen opgave gedaan.')
  else {
    paragraph(doc, `${r.gebruikers.gebruikers} gebruikers, opgegeven ${tijd(r.gebruikers.opgegevenOp)}.${r.gebruikers.gevolgen === '' ? '' : ` Gevolgen: ${r.gebruikers.gevolgen}`}`)
    if (r.gebruikers.rechten.length > 0) table(doc, ['Recht', 'Gebruikers'], [4, 1], r.gebruikers.rechten.map((x) => [x.recht, String(x.gebruikers)]))
  }
  heading(doc, 'Restoretests (SLA 7.4)')
  paragraph(doc, `Ten minste één (deels) geslaagde restoretest per kwartaal: ${LABELS[r.restoretests.oordeel] ?? r.restoretests.oordeel}.`)
  if (r.restoretests.tests.length > 0) {
    table(doc, ['Kenmerk', 'Uitgevoerd', 'Resultaat', 'Toelichting', 'Opvolging'], [2, 2.3, 1.7, 4, 4],
      r.restoretests.tests.map((t) => [t.kenmerk, tijd(t.uitgevoerdOp), { text: t.resultaat, color: COLORS[t.resultaat === 'mislukt' ? 'niet-behaald' : 'behaald'] }, t.toelichting, t.opvolging]))
  }
  overigeAfsprakenPdf(r, { heading: (x) => { heading(doc, x) }, paragraph: (x) => { paragraph(doc, x) }, table: (h, w, rows) => { table(doc, h, w, rows) } }, tijd)

  // The ticket tools' own deadlines (issue 12): information, not part of the verdict.
  const afwijkingen = r.bronAfwijkingen ?? []
  heading(doc, 'Termijnen volgens de bron')
  paragraph(doc, afwijkingen.length === 0
    ? 'Geen melding van dit kwartaal heeft een termijn in het ticketsysteem van de leverancier of de gemeente die meer dan een minuut afwijkt van de termijn die de SLA-monitor berekent.'
    : `${afwijkingen.length} termijn(en) in het ticketsysteem wijken meer dan een minuut af van de berekende. Ter informatie voor het overleg: het oordeel volgt de berekening van de SLA-monitor.`)
  if (afwijkingen.length > 0) {
    table(doc, ['Kenmerk', 'Klok', 'Volgens bron', 'Volgens SLA', 'Verschil', 'Waarschijnlijke reden'], [2.6, 1.8, 2.2, 2.2, 1.4, 3.8],
      afwijkingen.map((b) => [b.kenmerk, b.klok, tijd(b.bron), tijd(b.eigen), `${b.richting === 'bron-later' ? '+' : '−'}${uren(b.verschil)}`, b.reden === null ? 'onbekend' : BRON_REDEN_KORT[b.reden]]))
  }

  // Provenance.
  heading(doc, 'Herkomst')
  table(doc, ['Gegeven', 'Waarde'], [2, 6], [
    ['Rapportage', `${r.id}, versie ${r.versie}`],
    ['Gegenereerd', tijd(r.gegenereerdOp)],
    ['Peilmoment', tijd(r.herkomst.peilmoment)],
    ['Software', `SLA-monitor ${r.herkomst.softwareVersie}`],
    ['Normen', r.herkomst.normen.map((n) => `versie ${n.versie} ${vanaf(n.geldigVanaf)}: ${n.gebruiktVoor.join(', ')}`).join('; ')],
    ['Invoer', `${r.herkomst.aantallen.meldingen} meldingen, ${r.herkomst.aantallen.gebeurtenissen} gebeurtenissen, ${r.herkomst.aantallen.diensten} diensten, ${r.herkomst.aantallen.restoretests} restoretests`],
    ['Invoer-hash (SHA-256)', r.herkomst.invoerHash]
  ])

  // Page numbers.
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    // Below the bottom margin: without lifting it, pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0
    doc.font('Helvetica').fontSize(8).fillColor('#5a6b7b')
      .text(clean(`${r.contractNaam} · ${r.periode} · versie ${r.versie} · pagina ${i + 1} van ${range.count}`), MARGIN, 842 - 35, { width: WIDTH, align: 'center', lineBreak: false })
  }
  doc.end()
  return await finished
}
