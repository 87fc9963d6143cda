import type { BusinessCalendar } from '../calendar/business-calendar.js'
import { CoreError } from '../errors.js'
import type { Instant } from '../time.js'
import { addDays, addMonths, dateOf, daysBetween, endOfDate, sameClockDaysLater, startOfDate, werkdagenNa } from './termijnen.js'
import type {
  DocumentRecord, Grondslag, InstallatieOvertreding, OverlegRecord, ReleaseRecord, Verplichting, VerplichtingenInvoer, VerplichtingSoort, VerplichtingStatus
} from './types.js'

/**
 * Every obligation of one contract with its state at `peilmoment` (SLA-RULES §12, R-VPL-1…6).
 *
 * - Facts count only when their own instant is not after the peilmoment (an overleg from the
 *   start of its date); records are append-only and a later record about the same overleg
 *   (niveau and datum), release (kenmerk) or exit corrects or completes an earlier one: per field,
 *   the last record that gives it wins.
 * - Periodic obligations run from the contract's start to its einddatum (when one is recorded):
 *   the years and quarters up to the peilmoment's, and each chain (operationeel overleg, TPM,
 *   ISO 27001) up to its first obligation not yet met, so the next due one is always listed.
 * - Order: what is not met (`verlopen`, `open`) first, the earliest due first; then the rest, the
 *   latest due first.
 * Pure: no clock; the same input gives the same list.
 */
export function verplichtingenOp (inv: VerplichtingenInvoer, calendar: BusinessCalendar, peilmoment: Instant): Verplichting[] {
  const tz = inv.timeZone
  const p = peilmoment
  if (!Number.isFinite(p)) throw new CoreError('invalid-instant', 'the peilmoment is not an instant', 'peilmoment')
  const known = (t: Instant | null): Instant | null => (t !== null && t <= p ? t : null)
  const pDate = dateOf(p, tz)
  const start = inv.start
  const exit = mergeFields(inv.exit, ['einddatum', 'overbruggingAangevraagdOp', 'overdrachtBevestigdOp', 'vernietigingsverklaringOp'])
  const eind = exit.waarden.einddatum ?? null
  const beforeEnd = (d: string): boolean => eind === null || d <= eind
  const out: Verplichting[] = []

  const judge = (soort: VerplichtingSoort, onderwerp: string, verwachtDatum: string, verwachtOp: Instant, vervuldOp: Instant | null, bronnen: readonly string[], grondslag: Grondslag): void => {
    let status: VerplichtingStatus
    let dagenTeLaat = 0
    let teLaat = 0
    if (vervuldOp !== null) {
      status = vervuldOp < verwachtOp ? 'op-tijd' : 'te-laat'
      if (status === 'te-laat') { dagenTeLaat = daysBetween(verwachtDatum, dateOf(vervuldOp, tz)); teLaat = vervuldOp - verwachtOp }
    } else if (p < verwachtOp) {
      status = 'open'
    } else {
      status = 'verlopen'
      dagenTeLaat = daysBetween(verwachtDatum, pDate)
      teLaat = p - verwachtOp
    }
    out.push({ soort, onderwerp, verwachtOp, verwachtDatum, vervuldOp, status, dagenTeLaat, teLaat, bronnen: [...bronnen], grondslag })
  }

  const startYear = Number(start.slice(0, 4))
  const lastYear = Math.min(Number(pDate.slice(0, 4)), eind === null ? Infinity : Number(eind.slice(0, 4)))

  // R-VPL-1: the upgradebeleid of each year in which the contract runs, due when that year begins
  // (the first year: at the start); the next year's is listed once the peilmoment's year has begun.
  const beleid = inv.documenten.filter((d) => d.soort === 'upgradebeleid' && known(d.ontvangenOp) !== null)
  for (let y = startYear; y <= lastYear + 1; y++) {
    const begin = y === startYear ? start : `${y}-01-01`
    if (!beforeEnd(begin)) break
    const voor = beleid.filter((d) => d.jaar === y).sort((a, b) => a.ontvangenOp - b.ontvangenOp)
    judge('upgradebeleid', String(y), addDays(begin, -1), startOfDate(begin, tz), voor[0]?.ontvangenOp ?? null, voor.map((d) => d.id), { regel: 'R-VPL-1', jaar: y, eersteJaar: y === startYear })
  }

  // R-VPL-2: each release on test, accepted silently after 21 days unless decided earlier.
  for (const r of mergeReleases(inv.releases)) {
    const opTest = known(r.opTestOp)
    if (opTest === null) continue
    const stil = sameClockDaysLater(opTest, 21, tz)
    const g = known(r.geaccepteerdOp)
    const a = known(r.afgekeurdOp)
    const expliciet = g !== null && g < stil && (a === null || g <= a) ? g : null
    const afgekeurd = expliciet === null && a !== null && a < stil ? a : null
    const acceptatie = afgekeurd !== null ? null : (expliciet ?? stil)
    const van = known(r.inProductieVan)
    const tot = van === null ? null : known(r.inProductieTot)
    const overtredingen: InstallatieOvertreding[] = []
    if (van !== null) {
      if (calendar.businessTime(van, tot !== null && tot > van ? tot : van + 1) > 0) overtredingen.push('binnen-kantooruren')
      if (tot !== null && tot - van > 4 * 3_600_000) overtredingen.push('langer-dan-4-uur')
    }
    const verwachtOp = acceptatie ?? (afgekeurd as Instant)
    const status: VerplichtingStatus = van !== null
      ? (acceptatie === null || van < acceptatie ? 'te-vroeg' : 'op-tijd')
      : (acceptatie === null ? 'afgekeurd' : 'open')
    out.push({
      soort: 'acceptatie', onderwerp: r.kenmerk, verwachtOp, verwachtDatum: dateOf(verwachtOp, tz), vervuldOp: van, status, dagenTeLaat: 0, teLaat: 0, bronnen: r.bronnen,
      grondslag: { regel: 'R-VPL-2', opTestOp: opTest, geaccepteerdOp: expliciet, afgekeurdOp: afgekeurd, stilzwijgend: expliciet === null && afgekeurd === null, overtredingen }
    })
  }

  // R-VPL-3: overleg. Records about the same meeting (niveau, datum) are one overleg.
  const overleggen = mergeOverleggen(inv.overleggen).filter((o) => startOfDate(o.datum, tz) <= p)
  for (const niveau of ['strategisch', 'tactisch'] as const) {
    const per = niveau === 'strategisch' ? 1 : 4
    for (let y = startYear; y <= lastYear; y++) {
      const from = y === startYear ? start : `${y}-01-01`
      const to = eind !== null && eind < `${y}-12-31` ? eind : `${y}-12-31`
      if (to < from) continue
      // A year the contract runs only in part asks its share, rounded up (README: the SLA is silent).
      const days = daysBetween(from, to) + 1
      const vereist = Math.ceil(per * days / (daysBetween(`${y}-01-01`, `${y}-12-31`) + 1))
      const held = overleggen.filter((o) => o.niveau === niveau && o.datum.startsWith(`${y}-`))
      for (let k = 1; k <= vereist; k++) {
        const m = held[k - 1]
        judge(`overleg-${niveau}`, vereist === 1 ? String(y) : `${y} #${k}`, to, endOfDate(to, tz), m === undefined ? null : startOfDate(m.datum, tz), m === undefined ? [] : m.bronnen,
          { regel: 'R-VPL-3-jaar', niveau, jaar: y, nummer: k, vereist })
      }
    }
  }
  {
    // Operationeel: 42 days after the previous one, the first 42 days after the start.
    // The start acts as the previous meeting: one on the start date itself restarts nothing.
    const held = overleggen.filter((o) => o.niveau === 'operationeel' && o.datum > start)
    let vorige = null as string | null
    for (;;) {
      const due = addDays(vorige ?? start, 42)
      if (!beforeEnd(due)) break
      const prev: string | null = vorige
      const m: MergedOverleg | undefined = held.find((o) => prev === null || o.datum > prev)
      judge('overleg-operationeel', due, due, endOfDate(due, tz), m === undefined ? null : startOfDate(m.datum, tz), m === undefined ? [] : m.bronnen, { regel: 'R-VPL-3-zes-weken', vorige })
      if (m === undefined) break
      vorige = m.datum
    }
  }
  for (const o of overleggen) {
    const t = werkdagenNa(calendar, o.datum, 5)
    judge('verslag', `${o.niveau} ${o.datum}`, t.datum, t.verwachtOp, known(o.verslagOntvangenOp), o.bronnen,
      { regel: 'R-VPL-3-verslag', niveau: o.niveau, datum: o.datum, werkdagen: t.werkdagen, overgeslagen: t.overgeslagen })
  }

  // R-VPL-4: a TPM at most 12 months after the previous one (the first 12 months after the start).
  {
    const tpms = docs(inv.documenten, 'tpm', known).filter((d) => dateOf(d.ontvangenOp, tz) > start)
    let vorige = null as DocumentRecord | null
    for (;;) {
      const due = addMonths(vorige === null ? start : dateOf(vorige.ontvangenOp, tz), 12)
      if (!beforeEnd(due)) break
      const prev: DocumentRecord | null = vorige
      const m: DocumentRecord | undefined = tpms.find((d) => prev === null || d.ontvangenOp > prev.ontvangenOp)
      judge('tpm', due, due, endOfDate(due, tz), m?.ontvangenOp ?? null, m === undefined ? [] : [m.id], { regel: 'R-VPL-4-tpm', vorige: prev?.ontvangenOp ?? null })
      if (m === undefined) break
      vorige = m
    }
  }
  // R-VPL-4: the ISO 27001 certificate, renewed before its validity ends.
  {
    const certs = docs(inv.documenten, 'iso27001', known).filter((d) => d.geldigTot !== null)
    let current = certs[0]
    while (current !== undefined) {
      const geldigTot = current.geldigTot as string
      if (!beforeEnd(geldigTot)) break
      const cur: DocumentRecord = current
      const next = certs.find((d) => d.ontvangenOp > cur.ontvangenOp && (d.geldigTot as string) > geldigTot)
      judge('iso27001', geldigTot, geldigTot, endOfDate(geldigTot, tz), next?.ontvangenOp ?? null, next === undefined ? [cur.id] : [cur.id, next.id], { regel: 'R-VPL-4-iso27001', geldigTot })
      current = next
    }
  }

  // R-VPL-5: a (partly) successful restore test in every quarter the contract runs.
  for (let q = quarterOf(start); q <= quarterOf(eind !== null && eind < pDate ? eind : pDate); q++) {
    const y = Math.floor(q / 4)
    const first = `${y}-${String((q % 4) * 3 + 1).padStart(2, '0')}-01`
    const lastDay = addDays(addMonths(first, 3), -1)
    const to = eind !== null && eind < lastDay ? eind : lastDay
    const from = startOfDate(first, tz)
    const due = endOfDate(to, tz)
    const test = inv.restoretests.filter((t) => t.resultaat !== 'mislukt' && t.uitgevoerdOp >= from && t.uitgevoerdOp < due && known(t.uitgevoerdOp) !== null)
      .sort((a, b) => a.uitgevoerdOp - b.uitgevoerdOp)[0]
    const kwartaal = `${y}-Q${(q % 4) + 1}`
    judge('restoretest', kwartaal, to, due, test?.uitgevoerdOp ?? null, test === undefined ? [] : [test.id], { regel: 'R-VPL-5', kwartaal })
  }

  // R-VPL-6: exit.
  const bronnen = (veld: string): string[] => exit.bronnen[veld] ?? []
  if (eind !== null) {
    const uiterlijk = addMonths(eind, -3)
    judge('exit-overbrugging', eind, uiterlijk, endOfDate(uiterlijk, tz), known(exit.waarden.overbruggingAangevraagdOp ?? null), bronnen('overbruggingAangevraagdOp'), { regel: 'R-VPL-6-overbrugging', einddatum: eind })
    judge('exit-overdracht', eind, eind, endOfDate(eind, tz), known(exit.waarden.overdrachtBevestigdOp ?? null), bronnen('overdrachtBevestigdOp'), { regel: 'R-VPL-6-overdracht', einddatum: eind })
  }
  const bevestigd = known(exit.waarden.overdrachtBevestigdOp ?? null)
  if (bevestigd !== null) {
    const due = addMonths(dateOf(bevestigd, tz), 1)
    judge('exit-vernietiging', dateOf(bevestigd, tz), due, endOfDate(due, tz), known(exit.waarden.vernietigingsverklaringOp ?? null), bronnen('vernietigingsverklaringOp'), { regel: 'R-VPL-6-vernietiging', overdrachtBevestigdOp: bevestigd })
  }

  return out.sort(volgorde)
}

const UNMET = new Set<VerplichtingStatus>(['open', 'verlopen'])

/** What is not met first, the earliest due first; then the rest, the latest due first. */
export function volgorde (a: Verplichting, b: Verplichting): number {
  const ua = UNMET.has(a.status)
  const ub = UNMET.has(b.status)
  if (ua !== ub) return ua ? -1 : 1
  const byDue = ua ? a.verwachtOp - b.verwachtOp : b.verwachtOp - a.verwachtOp
  return byDue || (a.soort < b.soort ? -1 : a.soort > b.soort ? 1 : 0) || (a.onderwerp < b.onderwerp ? -1 : a.onderwerp > b.onderwerp ? 1 : 0)
}

const quarterOf = (d: string): number => Number(d.slice(0, 4)) * 4 + Math.floor((Number(d.slice(5, 7)) - 1) / 3)

function docs (all: readonly DocumentRecord[], soort: DocumentRecord['soort'], known: (t: Instant) => Instant | null): DocumentRecord[] {
  return all.filter((d) => d.soort === soort && known(d.ontvangenOp) !== null).sort((a, b) => a.ontvangenOp - b.ontvangenOp || (a.id < b.id ? -1 : 1))
}

/** Per field, the last record (in order) that gives it, with the ids of the records that gave it. */
function mergeFields<R extends { id: string }, K extends keyof R & string> (records: readonly R[], fields: readonly K[]): { waarden: Partial<{ [F in K]: NonNullable<R[F]> }>, bronnen: Record<string, string[]> } {
  const waarden: Partial<{ [F in K]: NonNullable<R[F]> }> = {}
  const bronnen: Record<string, string[]> = {}
  for (const r of records) {
    for (const f of fields) {
      const v = r[f]
      if (v === null || v === undefined) continue
      waarden[f] = v as NonNullable<R[K]>
      bronnen[f] = [...(bronnen[f] ?? []), r.id]
    }
  }
  return { waarden, bronnen }
}

interface MergedRelease extends Omit<ReleaseRecord, 'id'> { readonly bronnen: string[] }

function mergeReleases (records: readonly ReleaseRecord[]): MergedRelease[] {
  const byKenmerk = new Map<string, ReleaseRecord[]>()
  for (const r of records) byKenmerk.set(r.kenmerk, [...(byKenmerk.get(r.kenmerk) ?? []), r])
  return [...byKenmerk].map(([kenmerk, rs]) => {
    const { waarden } = mergeFields(rs, ['opTestOp', 'geaccepteerdOp', 'afgekeurdOp', 'inProductieVan', 'inProductieTot'])
    return {
      kenmerk,
      opTestOp: waarden.opTestOp ?? null,
      geaccepteerdOp: waarden.geaccepteerdOp ?? null,
      afgekeurdOp: waarden.afgekeurdOp ?? null,
      inProductieVan: waarden.inProductieVan ?? null,
      inProductieTot: waarden.inProductieTot ?? null,
      bronnen: rs.map((r) => r.id)
    }
  })
}

interface MergedOverleg { readonly niveau: OverlegRecord['niveau'], readonly datum: string, readonly verslagOntvangenOp: Instant | null, readonly bronnen: string[] }

/** One overleg per (niveau, datum), by date. */
function mergeOverleggen (records: readonly OverlegRecord[]): MergedOverleg[] {
  const byKey = new Map<string, OverlegRecord[]>()
  for (const r of records) byKey.set(`${r.datum} ${r.niveau}`, [...(byKey.get(`${r.datum} ${r.niveau}`) ?? []), r])
  return [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, rs]) => {
    const first = rs[0] as OverlegRecord
    return { niveau: first.niveau, datum: first.datum, verslagOntvangenOp: mergeFields(rs, ['verslagOntvangenOp']).waarden.verslagOntvangenOp ?? null, bronnen: rs.map((r) => r.id) }
  })
}
