import type { RapportDocument } from '../../services/rapportages.js'

/**
 * The section "Overige afspraken" (issue 15) of the quarterly report in CSV and PDF, kept apart
 * from rapportage-csv.ts and rapportage-pdf.ts so that those take it with one call each. Reports
 * made before the section existed have none: both then add nothing.
 */

type Afspraak = NonNullable<RapportDocument['overigeAfspraken']>['afspraken'][number]

export const OVERIGE_TITEL = 'Overige afspraken (SLA 3.7, 6.2, 7.2, 8)'
export const OVERIGE_KOP = ['soort', 'onderwerp', 'uiterlijk', 'vervuld op', 'status', 'dagen te laat', 'regel', 'uitleg'] as const

/** The CSV section: name, header and rows (times as the caller formats them), or null when the report has none. */
export function overigeAfsprakenCsv (r: RapportDocument, tijd: (iso: string | null) => string): { name: string, header: string[], rows: Array<Array<string | number>> } | null {
  const o = r.overigeAfspraken
  if (o === undefined) return null
  return {
    name: `${OVERIGE_TITEL}: gerapporteerd, telt niet mee in het oordeel`,
    header: [...OVERIGE_KOP],
    rows: o.afspraken.map((a: Afspraak) => [a.soort, a.onderwerp, tijd(a.verwachtOp), tijd(a.vervuldOp), a.status, a.dagenTeLaat, a.regel, a.uitleg])
  }
}

export interface PdfWriter {
  heading: (text: string) => void
  paragraph: (text: string) => void
  table: (header: readonly string[], widths: readonly number[], rows: ReadonlyArray<ReadonlyArray<string | { text: string, color?: string | undefined, bold?: boolean | undefined }>>) => void
}

const KLEUR: Record<string, string> = { 'op-tijd': '#1b7f3b', open: '#607d8b', afgekeurd: '#607d8b', 'te-laat': '#c62828', verlopen: '#c62828', 'te-vroeg': '#c62828' }

/** The PDF section, written with the report's own heading, paragraph and table. */
export function overigeAfsprakenPdf (r: RapportDocument, out: PdfWriter, tijd: (iso: string | null) => string): void {
  const o = r.overigeAfspraken
  if (o === undefined) return
  out.heading(OVERIGE_TITEL)
  out.paragraph(`Upgradebeleid, acceptatie van releases, overleggen en verslagen, Third Party Mededeling, ISO 27001 en exit: ${o.aantal} afspraken in het kwartaal, ${o.inbreuken} niet nagekomen. ` +
    `Deze worden gerapporteerd en tellen niet mee in het oordeel over het kwartaal: de SLA verbindt er geen sanctie aan. Stand op ${tijd(o.peilmoment)}.`)
  if (o.afspraken.length === 0) return
  out.table(['Soort', 'Onderwerp', 'Uiterlijk', 'Vervuld', 'Status', 'Uitleg'], [2.2, 2, 2.1, 2.1, 1.6, 6],
    o.afspraken.map((a: Afspraak) => [a.soort, a.onderwerp, tijd(a.verwachtOp), tijd(a.vervuldOp), { text: a.dagenTeLaat > 0 ? `${a.status} (${a.dagenTeLaat} d)` : a.status, color: KLEUR[a.status], bold: a.inbreuk }, a.uitleg]))
}
