import { slaCalendar, slaCalendarZonderFeestdagen } from '../adapters/holidays/sla-calendars.js'
import type { ContractNormenRow, StoredVoorwaarden } from '../adapters/db/schema.js'
import {
  PRIORITEITEN, STANDAARD_BESCHIKBAARHEIDSNORM, STANDAARD_NORMEN, STANDAARD_PRESTATIENORM,
  type BronContext, type BusinessCalendar, type CalendarKind, type SlaState, type Normen, type Prioriteit, type SlaContext, type Voorwaarden, type VoorwaardenVersie
} from '../core/index.js'

/** The standard SLA's terms (SLA-RULES §4, R-KPI-3, R-BES-5): what a contract without its own gets. */
export const STANDAARD_VOORWAARDEN: Voorwaarden = {
  normen: STANDAARD_NORMEN,
  prestatienorm: STANDAARD_PRESTATIENORM,
  beschikbaarheidsnorm: STANDAARD_BESCHIKBAARHEIDSNORM,
  extraGeslotenDagen: []
}

export function toStored (v: Voorwaarden): StoredVoorwaarden {
  const per = {} as StoredVoorwaarden['normen']['perPrioriteit']
  for (const p of PRIORITEITEN) per[String(p) as '1'] = { ...v.normen.perPrioriteit[p] }
  return {
    normen: { perPrioriteit: per, automatischSluitenNa: v.normen.automatischSluitenNa },
    prestatienorm: v.prestatienorm,
    beschikbaarheidsnorm: v.beschikbaarheidsnorm,
    extraGeslotenDagen: v.extraGeslotenDagen.map((d) => ({ ...d }))
  }
}

export function fromRow (row: ContractNormenRow): VoorwaardenVersie {
  const s = row.normen
  const perPrioriteit = {} as Record<Prioriteit, Normen['perPrioriteit'][Prioriteit]>
  for (const p of PRIORITEITEN) perPrioriteit[p] = s.normen.perPrioriteit[String(p) as '1']
  return {
    versie: row.versie,
    geldigVanaf: row.geldig_vanaf,
    normen: { perPrioriteit, automatischSluitenNa: s.normen.automatischSluitenNa },
    prestatienorm: s.prestatienorm,
    beschikbaarheidsnorm: s.beschikbaarheidsnorm,
    extraGeslotenDagen: s.extraGeslotenDagen
  }
}

// Calendars with a contract's extra closed days, memoised: a calendar precomputes per year, so
// making one per request would waste that. Bounded; an evicted one is simply made again.
const calendars = new Map<string, BusinessCalendar>()
const MAX_CALENDARS = 256

function calendarFor (kind: CalendarKind, extra: Voorwaarden['extraGeslotenDagen']): BusinessCalendar {
  if (extra.length === 0) return slaCalendar(kind)
  const key = `${kind}|${extra.map((d) => `${d.datum}:${d.naam}`).sort().join(',')}`
  let cal = calendars.get(key)
  if (cal === undefined) {
    if (calendars.size >= MAX_CALENDARS) calendars.delete(calendars.keys().next().value as string)
    cal = slaCalendar(kind, extra.map((d) => ({ date: d.datum, name: d.naam, kind: 'extra-gesloten' as const })))
    calendars.set(key, cal)
  }
  return cal
}

/** What the clocks of a melding judged by these terms need. */
export function slaContext (v: Voorwaarden): SlaContext {
  return { normen: v.normen, calendar: (kind) => calendarFor(kind, v.extraGeslotenDagen) }
}

/** The SLA's standard calendar of a kind (no contract's extra closed days), as the kalender endpoints use it. */
export const standardCalendar = (kind: CalendarKind): BusinessCalendar => slaCalendar(kind)

/** What comparing a tool's deadlines with a melding's needs: its terms and the calendar its clocks used. */
export function bronContext (v: Voorwaarden, state: SlaState): BronContext {
  const kind = v.normen.perPrioriteit[state.prioriteit].kalender
  return { normen: v.normen, calendar: calendarFor(kind, v.extraGeslotenDagen), zonderFeestdagen: slaCalendarZonderFeestdagen(kind) }
}
