import { DateTime } from 'luxon'
import type { Interval } from '../calendar/types.js'
import { maandToApi } from '../beschikbaarheid/maand.js'
import type { MaandResultaat, Oordeel } from '../beschikbaarheid/types.js'
import { beslissingen, computeKpi, periodInterval, type Beslissing, type KlokSoort, type KpiCel, type KpiResultaat } from '../kpi/index.js'
import type { BronAfwijkingReden, BronKlok, BronVergelijking } from '../sla/bron.js'
import type { SlaState } from '../sla/clocks.js'
import { MELDING_TYPES, PRIORITEITEN, type BivAspect, type MeldingType, type Prioriteit } from '../sla/types.js'
import { formatDuration, formatInstant, type Instant } from '../time.js'
import type { Verplichting } from '../verplichtingen/types.js'
import { overigeAfspraken, overigeAfsprakenSamenvatting, type OverigeAfspraken } from './overige-afspraken.js'

export * from './overige-afspraken.js'

/**
 * The quarterly report (SLA 3.8, SLA-RULES §10), assembled from values: the meldingen with their
 * state computed over the whole history known (R-KPI-1), the months of each dienst, what the
 * supplier reported. Pure: the same input gives the same report, to the byte once serialised.
 * Instants are ISO 8601 UTC and durations ISO 8601, like the rest of the API; renderers show
 * them in Europe/Amsterdam.
 */

export interface RapportMelding {
  readonly id: string
  readonly kenmerk: string
  readonly onderwerp: string
  readonly type: MeldingType
  readonly gemeldOp: Instant
  /** Computed over every event known when the report is made. */
  readonly state: SlaState
  /**
   * For a security incident: its state at the period's end (or now, if earlier), shown while its
   * functieherstel clock has not stopped, so the report does not depend on when it was made.
   */
  readonly stateOpEinde: SlaState | null
  readonly beveiliging: { readonly biv: readonly BivAspect[], readonly major: boolean } | null
  /** The events a security incident's section needs (reactie, status, maatregel), any order. */
  readonly gebeurtenissen: ReadonlyArray<{ readonly type: string, readonly op: Instant, readonly status: string | null, readonly toelichting: string | null }>
  /** The ticket tool's own deadlines against ours at the report's peilmoment (issue 12); empty when none was stated. */
  readonly bron: readonly BronVergelijking[]
}

export interface RapportDienstMaand {
  readonly dienst: { readonly id: string, readonly naam: string, readonly omgeving: string }
  readonly resultaat: MaandResultaat
}

export interface Gebruikersopgave {
  readonly opgegevenOp: Instant
  readonly gebruikers: number
  readonly rechten: ReadonlyArray<{ readonly recht: string, readonly gebruikers: number }>
  readonly gevolgen: string
}

export type RestoretestResultaat = 'geslaagd' | 'deels-geslaagd' | 'mislukt'
export const RESTORETEST_RESULTATEN: readonly RestoretestResultaat[] = ['geslaagd', 'deels-geslaagd', 'mislukt']

export interface Restoretest {
  readonly id: string
  readonly kenmerk: string
  readonly uitgevoerdOp: Instant
  readonly resultaat: RestoretestResultaat
  readonly toelichting: string
  readonly opvolging: string
}

export interface RapportInvoer {
  /** `2026-Q1`. */
  readonly periode: string
  readonly timeZone: string
  /** R-KPI-3: the prestatienorm judged against. */
  readonly prestatienorm: number
  readonly meldingen: readonly RapportMelding[]
  /** Every dienst of the contract, every month of the quarter. */
  readonly maanden: readonly RapportDienstMaand[]
  /** The last report of users and rights for the quarter, if any. */
  readonly gebruikers: Gebruikersopgave | null
  readonly restoretests: readonly Restoretest[]
  /** The SLA's other obligations (R-VPL) computed at `verplichtingenOp`: reported, not judged. */
  readonly verplichtingen?: { readonly lijst: readonly Verplichting[], readonly peilmoment: Instant }
}

/** `gerapporteerd`: shown, never part of the verdict (Overige afspraken). */
export type Deeloordeel = 'behaald' | 'niet-behaald' | 'geen-meldingen' | 'onvoldoende-meetdata' | 'ontbreekt' | 'gerapporteerd'

export interface KpiCelApi {
  beslist: number
  binnenNorm: number
  aandeel: number | null
  meldingenBinnenNorm: string[]
  meldingenBuitenNorm: string[]
}

export interface KpiApi {
  norm: number
  oordeel: 'behaald' | 'niet-behaald' | 'geen-meldingen'
  perPrioriteit: Array<{ prioriteit: Prioriteit, reactie: KpiCelApi | null, functieherstel: KpiCelApi }>
  totaal: { reactie: KpiCelApi, functieherstel: KpiCelApi }
}

export interface RapportInhoud {
  periode: string
  van: string
  tot: string
  /** `behaald` only when every part is; `onvolledig` when a part lacks data but none failed. */
  oordeel: 'behaald' | 'niet-behaald' | 'onvolledig'
  samenvatting: Array<{ onderdeel: string, oordeel: Deeloordeel, toelichting: string }>
  kpi: KpiApi & { perMaand: KpiTrend[] }
  overschrijdingen: Array<{ melding: string, kenmerk: string, onderwerp: string, prioriteit: Prioriteit, klok: KlokSoort, deadline: string, verbruikt: string | null, norm: string | null }>
  meldingen: { aantal: number, perTypeEnPrioriteit: Array<{ type: MeldingType, prioriteit: Prioriteit, aantal: number }> }
  voortgang: { gemist: number, perMelding: Array<{ melding: string, kenmerk: string, prioriteit: Prioriteit, gemist: number, gemistOp: string[] }> }
  beschikbaarheid: Array<{
    dienst: string
    dienstNaam: string
    omgeving: string
    maand: string
    beschikbaarheid: number | null
    dekking: number
    venster: string
    beschikbaar: string
    onbeschikbaar: string
    onbekend: string
    uitgesloten: string
    norm: number
    oordeel: Oordeel
    responstijd: { aantal: number, gemiddeldMs: number | null, p95Ms: number | null }
    onderhoudInVenster: Array<{ onderhoud: string, van: string, tot: string, soort: string, omgeving: string, inVenster: string, overtredingen: Array<'langer-dan-4-uur' | 'binnen-kantooruren'> }>
  }>
  beveiligingsincidenten: Array<{
    melding: string
    kenmerk: string
    wat: string
    gemeldOp: string
    biv: string[]
    major: boolean
    prioriteit: Prioriteit
    /** Why that priority (R-PRI-4: a test environment is always prio 4; R-PRI-2: security is prio 1). Absent in reports made before API 1.2.0. */
    prioriteitRegel?: 'R-PRI-4' | 'R-PRI-2' | 'R-PRI-3' | 'gevraagd'
    respons: { op: string, toelichting: string | null } | null
    opgelostOp: string | null
    functieherstel: { status: string, verbruikt: string | null, norm: string | null }
    maatregelen: Array<{ op: string, toelichting: string }>
  }>
  gebruikers: { opgegevenOp: string, gebruikers: number, rechten: Array<{ recht: string, gebruikers: number }>, gevolgen: string } | null
  restoretests: { aantal: number, oordeel: 'behaald' | 'niet-behaald', tests: Array<{ id: string, kenmerk: string, uitgevoerdOp: string, resultaat: string, toelichting: string, opvolging: string }> }
  /**
   * Where a ticket tool's own deadline differs from ours by more than a minute, for the meldingen
   * reported in the quarter or whose clock was decided in it. Information for the overleg, not part
   * of the verdict: the SLA is judged by the service's computation.
   */
  bronAfwijkingen: Array<{ melding: string, kenmerk: string, klok: BronKlok, bron: string, eigen: string, verschil: string, richting: 'bron-later' | 'bron-eerder', reden: BronAfwijkingReden | null, volgensPrioriteit: Prioriteit | null }>
  /** Absent in reports made before issue 15. */
  overigeAfspraken?: OverigeAfspraken
}

const ids = (xs: readonly string[]): string[] => [...xs]
function celToApi (c: KpiCel): KpiCelApi {
  return { beslist: c.beslist, binnenNorm: c.binnenNorm, aandeel: c.aandeel, meldingenBinnenNorm: ids(c.meldingenBinnenNorm), meldingenBuitenNorm: ids(c.meldingenBuitenNorm) }
}
function kpiToApi (k: KpiResultaat): KpiApi {
  return {
    norm: k.norm,
    oordeel: k.oordeel,
    perPrioriteit: k.perPrioriteit.map((p) => ({ prioriteit: p.prioriteit, reactie: p.reactie === null ? null : celToApi(p.reactie), functieherstel: celToApi(p.functieherstel) })),
    totaal: { reactie: celToApi(k.totaal.reactie), functieherstel: celToApi(k.totaal.functieherstel) }
  }
}

export interface KpiTrendCel { beslist: number, binnenNorm: number, aandeel: number | null }
export interface KpiTrend {
  maand: string
  oordeel: KpiApi['oordeel']
  perPrioriteit: Array<{ prioriteit: Prioriteit, reactie: KpiTrendCel | null, functieherstel: KpiTrendCel }>
}

/** A month of the trend: the counts and shares; the meldingen behind them are in the quarter's cells. */
function trendToApi (maand: string, k: KpiResultaat): KpiTrend {
  const c = (x: KpiCel): KpiTrendCel => ({ beslist: x.beslist, binnenNorm: x.binnenNorm, aandeel: x.aandeel })
  return { maand, oordeel: k.oordeel, perPrioriteit: k.perPrioriteit.map((p) => ({ prioriteit: p.prioriteit, reactie: p.reactie === null ? null : c(p.reactie), functieherstel: c(p.functieherstel) })) }
}

const within = (t: Instant, i: Interval): boolean => t >= i.start && t < i.end
const orNull = <T, U>(v: T | null, f: (x: T) => U): U | null => v === null ? null : f(v)

/** The months of a quarter, `2026-Q1` → 2026-01, 2026-02, 2026-03. */
export function maandenVan (periode: string): string[] {
  const year = periode.slice(0, 4)
  const q = Number(periode.slice(6))
  return [1, 2, 3].map((i) => `${year}-${String((q - 1) * 3 + i).padStart(2, '0')}`)
}

/** The quarterly report of one contract (SLA 3.8, R-KPI, R-BES, R-COM, SLA 7.3, 7.4). */
export function buildRapport (inv: RapportInvoer): RapportInhoud {
  const interval = periodInterval(inv.periode, inv.timeZone)
  const all: Beslissing[] = inv.meldingen.flatMap((m) => beslissingen(m.id, m.state))
  const kpi = computeKpi(all, interval, inv.prestatienorm)
  const perMaand = maandenVan(inv.periode).map((maand) => trendToApi(maand, computeKpi(all, periodInterval(maand, inv.timeZone), inv.prestatienorm)))
  const byId = new Map(inv.meldingen.map((m) => [m.id, m]))

  const overschrijdingen = all.filter((b) => !b.binnenNorm && within(b.beslistOp, interval))
    .sort((a, b) => a.beslistOp - b.beslistOp || a.melding.localeCompare(b.melding) || a.klok.localeCompare(b.klok))
    .map((b) => {
      const m = byId.get(b.melding) as RapportMelding
      const klok = m.state[b.klok]
      return {
        melding: m.id, kenmerk: m.kenmerk, onderwerp: m.onderwerp, prioriteit: b.prioriteit, klok: b.klok,
        // A clock still running past its deadline keeps using time: only a stopped one's use is final.
        deadline: formatInstant(b.beslistOp), verbruikt: klok.gestopt ? orNull(klok.verbruikt, formatDuration) : null, norm: orNull(klok.norm, formatDuration)
      }
    })

  const gemeld = inv.meldingen.filter((m) => within(m.gemeldOp, interval))
  const perTypeEnPrioriteit = MELDING_TYPES.flatMap((type) => PRIORITEITEN.map((prioriteit) => ({
    type, prioriteit, aantal: gemeld.filter((m) => m.type === type && m.state.prioriteit === prioriteit).length
  })))

  // R-COM-2: a missed update counts in the period its due instant lies in.
  const voortgangPerMelding = inv.meldingen.flatMap((m) => {
    const gemistOp = m.state.voortgang.gemistOp.filter((t) => within(t, interval))
    return gemistOp.length === 0 ? [] : [{ melding: m.id, kenmerk: m.kenmerk, prioriteit: m.state.prioriteit, gemist: gemistOp.length, gemistOp: gemistOp.map(formatInstant) }]
  }).sort((a, b) => (a.gemistOp[0] as string).localeCompare(b.gemistOp[0] as string) || a.melding.localeCompare(b.melding))

  const beschikbaarheid = [...inv.maanden]
    .sort((a, b) => a.dienst.naam.localeCompare(b.dienst.naam) || a.dienst.id.localeCompare(b.dienst.id) || a.resultaat.maand.localeCompare(b.resultaat.maand))
    .map(({ dienst, resultaat }) => ({ dienst: dienst.id, dienstNaam: dienst.naam, omgeving: dienst.omgeving, ...maandToApi(resultaat) }))

  // SLA 7.3: the security incidents reported in the quarter or still unresolved when it began.
  const resolvedAt = (m: RapportMelding, t: Instant): boolean => {
    const last = m.gebeurtenissen.filter((e) => e.type === 'status' && e.op < t).sort((a, b) => a.op - b.op).at(-1)
    return last?.status === 'opgelost' || last?.status === 'gesloten'
  }
  const beveiligingsincidenten = inv.meldingen
    .filter((m) => m.type === 'beveiligingsincident' && m.gemeldOp < interval.end && (m.gemeldOp >= interval.start || !resolvedAt(m, interval.start)))
    .sort((a, b) => a.gemeldOp - b.gemeldOp || a.id.localeCompare(b.id))
    .map((m) => {
      const events = [...m.gebeurtenissen].sort((a, b) => a.op - b.op)
      const reactie = events.find((e) => e.type === 'reactie' || e.type === 'voortgang' || (e.type === 'status' && e.status !== 'geregistreerd'))
      const opgelost = m.state.status === 'opgelost' || m.state.status === 'gesloten'
        ? events.filter((e) => e.type === 'status' && e.status === 'opgelost').at(-1)
        : undefined
      const fh = m.state.functieherstel.gestopt || m.stateOpEinde === null ? m.state.functieherstel : m.stateOpEinde.functieherstel
      return {
        melding: m.id,
        kenmerk: m.kenmerk,
        wat: m.onderwerp,
        gemeldOp: formatInstant(m.gemeldOp),
        biv: [...(m.beveiliging?.biv ?? [])],
        major: m.beveiliging?.major ?? false,
        prioriteit: m.state.prioriteit,
        prioriteitRegel: m.state.prioriteitRegel,
        respons: reactie === undefined ? null : { op: formatInstant(Math.max(reactie.op, m.gemeldOp)), toelichting: reactie.toelichting },
        opgelostOp: opgelost === undefined ? null : formatInstant(opgelost.op),
        functieherstel: {
          status: fh.status,
          verbruikt: orNull(fh.verbruikt, formatDuration),
          norm: orNull(fh.norm, formatDuration)
        },
        maatregelen: events.filter((e) => e.type === 'maatregel').map((e) => ({ op: formatInstant(e.op), toelichting: e.toelichting ?? '' }))
      }
    })

  const bronAfwijkingen = inv.meldingen.flatMap((m) => m.bron.flatMap((b) => {
    const beslist = m.state[b.klok].beslistOp
    if (!b.afwijkend || b.eigen === null || b.verschil === null) return []
    if (!within(m.gemeldOp, interval) && !(beslist !== null && within(beslist, interval))) return []
    return [{
      melding: m.id, kenmerk: m.kenmerk, klok: b.klok, bron: formatInstant(b.bron), eigen: formatInstant(b.eigen), verschil: formatDuration(Math.abs(b.verschil)),
      richting: b.verschil > 0 ? 'bron-later' as const : 'bron-eerder' as const, reden: b.reden, volgensPrioriteit: b.volgensPrioriteit
    }]
  })).sort((a, b) => a.kenmerk.localeCompare(b.kenmerk) || a.melding.localeCompare(b.melding) || a.klok.localeCompare(b.klok))

  const tests = inv.restoretests.filter((t) => within(t.uitgevoerdOp, interval))
    .sort((a, b) => a.uitgevoerdOp - b.uitgevoerdOp || a.id.localeCompare(b.id))
    .map((t) => ({ id: t.id, kenmerk: t.kenmerk, uitgevoerdOp: formatInstant(t.uitgevoerdOp), resultaat: t.resultaat, toelichting: t.toelichting, opvolging: t.opvolging }))
  // SLA 7.4: at least one restore test per quarter; a failed one is evidence, but not of a working restore.
  const restoreOordeel = tests.some((t) => t.resultaat !== 'mislukt') ? 'behaald' : 'niet-behaald'

  const maandOordelen = beschikbaarheid.filter((b) => b.omgeving === 'productie')
  const beschikbaarheidOordeel: Deeloordeel = maandOordelen.length === 0
    ? 'ontbreekt'
    : maandOordelen.some((b) => b.oordeel === 'niet-behaald') ? 'niet-behaald'
      : maandOordelen.some((b) => b.oordeel === 'onvoldoende-meetdata') ? 'onvoldoende-meetdata' : 'behaald'
  const upgrades = beschikbaarheid.flatMap((b) => b.onderhoudInVenster).filter((o) => o.overtredingen.length > 0)
  const pct = (x: number): string => `${(x * 100).toFixed(1).replace('.', ',')} %`
  const samenvatting: RapportInhoud['samenvatting'] = [
    { onderdeel: 'Reactie- en functiehersteltijd (3.3)', oordeel: kpi.oordeel, toelichting: kpi.oordeel === 'geen-meldingen' ? 'geen klok beslist in het kwartaal' : `norm ${pct(kpi.norm)} per prioriteit; ${overschrijdingen.length} overschrijding(en)` },
    { onderdeel: 'Beschikbaarheid (3.5)', oordeel: beschikbaarheidOordeel, toelichting: `${maandOordelen.filter((b) => b.oordeel === 'behaald').length} van ${maandOordelen.length} dienstmaanden op productie behaald` },
    { onderdeel: 'Onderhoud en upgrades (3.5, 3.7)', oordeel: upgrades.length === 0 ? 'behaald' : 'niet-behaald', toelichting: `${beschikbaarheid.reduce((s, b) => s + b.onderhoudInVenster.length, 0)} onderhoud in het venster; ${upgrades.length} upgrade(s) langer dan 4 uur of binnen kantooruren` },
    { onderdeel: 'Voortgangsberichten (3.4)', oordeel: voortgangPerMelding.length === 0 ? 'behaald' : 'niet-behaald', toelichting: `${voortgangPerMelding.reduce((s, v) => s + v.gemist, 0)} gemist bij ${voortgangPerMelding.length} melding(en)` },
    { onderdeel: 'Restoretest (7.4)', oordeel: restoreOordeel, toelichting: `${tests.length} uitgevoerd, ${tests.filter((t) => t.resultaat !== 'mislukt').length} (deels) geslaagd; ten minste één per kwartaal` },
    { onderdeel: 'Gebruikers en rechten (3.8)', oordeel: inv.gebruikers === null ? 'ontbreekt' : 'behaald', toelichting: inv.gebruikers === null ? 'niet opgegeven door de leverancier' : `${inv.gebruikers.gebruikers} gebruikers opgegeven` }
  ]
  const failed = samenvatting.some((s) => s.oordeel === 'niet-behaald')
  const incomplete = samenvatting.some((s) => s.oordeel === 'onvoldoende-meetdata' || s.oordeel === 'ontbreekt')
  // After the verdict: the other obligations are reported, never judged (README, Verplichtingen).
  const overige = inv.verplichtingen === undefined ? undefined : overigeAfspraken(inv.verplichtingen.lijst, interval, inv.verplichtingen.peilmoment, inv.timeZone)
  if (overige !== undefined) samenvatting.push(overigeAfsprakenSamenvatting(overige))

  return {
    periode: inv.periode,
    van: formatInstant(interval.start),
    tot: formatInstant(interval.end),
    oordeel: failed ? 'niet-behaald' : incomplete ? 'onvolledig' : 'behaald',
    samenvatting,
    kpi: { ...kpiToApi(kpi), perMaand },
    overschrijdingen,
    meldingen: { aantal: gemeld.length, perTypeEnPrioriteit },
    voortgang: { gemist: voortgangPerMelding.reduce((s, v) => s + v.gemist, 0), perMelding: voortgangPerMelding },
    beschikbaarheid,
    beveiligingsincidenten,
    gebruikers: inv.gebruikers === null
      ? null
      : { opgegevenOp: formatInstant(inv.gebruikers.opgegevenOp), gebruikers: inv.gebruikers.gebruikers, rechten: inv.gebruikers.rechten.map((r) => ({ ...r })), gevolgen: inv.gebruikers.gevolgen },
    restoretests: { aantal: tests.length, oordeel: restoreOordeel, tests },
    bronAfwijkingen,
    ...(overige === undefined ? {} : { overigeAfspraken: overige })
  }
}

/** A local `YYYY-MM-DD HH:mm` of an ISO instant, for people (PDF, CSV). */
export function lokaleTijd (iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm')
}
