import type { Interval } from '../calendar/types.js'
import { formatInstant } from '../time.js'
import type { Verplichting, VerplichtingStatus } from '../verplichtingen/types.js'
import { verplichtingWeergave, type VerplichtingWeergave } from '../verplichtingen/uitleg.js'
import { dateOf } from '../verplichtingen/termijnen.js'

/**
 * The quarterly report's section "Overige afspraken" (issue 15, SLA-RULES §12): the SLA's other
 * obligations due in the quarter with their states, and every release installed on production
 * before its acceptance in the quarter (R-VPL-2, a breach). The SLA names no penalty for them:
 * they are reported, not part of the verdict. Restore tests (R-VPL-5) have their own section and
 * verdict (7.4) and are left out here.
 */
export type OverigeAfspraak = VerplichtingWeergave

export interface OverigeAfspraken {
  /** Always false: reported, not part of the report's verdict (README, Verplichtingen). */
  teltMeeInOordeel: false
  /** The instant the states are read at: the quarter's end, or the moment a voorlopig report is made. */
  peilmoment: string
  aantal: number
  inbreuken: number
  perStatus: Array<{ status: VerplichtingStatus, aantal: number }>
  afspraken: OverigeAfspraak[]
}

const STATUSSEN: readonly VerplichtingStatus[] = ['op-tijd', 'te-laat', 'verlopen', 'open', 'te-vroeg', 'afgekeurd']

/**
 * The section from the contract's obligations as computed at `peilmoment` (the quarter's end, or
 * now when earlier): those whose due date lies in the quarter, and the releases installed on
 * production in the quarter before their acceptance. Ordered by due instant.
 */
export function overigeAfspraken (verplichtingen: readonly Verplichting[], quarter: Interval, peilmoment: number, timeZone: string): OverigeAfspraken {
  const first = dateOf(quarter.start, timeZone)
  const last = dateOf(quarter.end - 1, timeZone)
  const inQuarter = (v: Verplichting): boolean => v.soort !== 'restoretest' && (
    (v.verwachtDatum >= first && v.verwachtDatum <= last) ||
    (v.status === 'te-vroeg' && v.vervuldOp !== null && v.vervuldOp >= quarter.start && v.vervuldOp < quarter.end))
  const afspraken = verplichtingen.filter(inQuarter)
    .sort((a, b) => a.verwachtOp - b.verwachtOp || (a.soort < b.soort ? -1 : a.soort > b.soort ? 1 : 0) || (a.onderwerp < b.onderwerp ? -1 : 1))
    .map((v): OverigeAfspraak => verplichtingWeergave(v, timeZone))
  return {
    teltMeeInOordeel: false,
    peilmoment: formatInstant(peilmoment),
    aantal: afspraken.length,
    inbreuken: afspraken.filter((a) => a.inbreuk).length,
    perStatus: STATUSSEN.map((status) => ({ status, aantal: afspraken.filter((a) => a.status === status).length })).filter((s) => s.aantal > 0),
    afspraken
  }
}

/** Its line in the report's summary: `gerapporteerd`, which never changes the overall verdict. */
export function overigeAfsprakenSamenvatting (s: OverigeAfspraken): { onderdeel: string, oordeel: 'gerapporteerd', toelichting: string } {
  const per = s.perStatus.map((p) => `${p.aantal} ${p.status}`).join(', ')
  return {
    onderdeel: 'Overige afspraken (3.7, 6.2, 7.2, 8)',
    oordeel: 'gerapporteerd',
    toelichting: `${s.aantal} afspra${s.aantal === 1 ? 'ak' : 'ken'}${per === '' ? '' : ` (${per})`}, ${s.inbreuken} niet nagekomen; gerapporteerd, telt niet mee in het oordeel: de SLA verbindt er geen sanctie aan`
  }
}
