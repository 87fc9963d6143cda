import type { Interval } from '../calendar/types.js'
import type { Instant } from '../time.js'
import { computeSla, type Klok, type SlaContext, type SlaState } from '../sla/clocks.js'
import type { MeldingFeiten } from '../sla/types.js'

/**
 * Signals (issue 14): what the service tells people, before and when an SLA is missed.
 *
 * The time-driven signals of a melding are read from its clocks (R-CLK-5, R-COM-2, R-SLU-2) as a
 * condition on the state `computeSla` gives at an instant t (from the events whose `op` is not
 * after t). A signal is fired at the first instant its condition holds, and only once per key
 * (melding, soort, klok, and its deadline or the instant it is about): a deadline that moves
 * (pause, priority change, reopening) is another key, so its signals move with it.
 *
 * - `melding.geregistreerd`: prio 1 or 2, or a beveiligingsincident, not gesloten (SLA 3.3, 7.3);
 *   about gemeldOp.
 * - `melding.risico`: a running clock has used at least 80 % of its norm and not all of it: from
 *   that instant on less than 20 % is left (R-CLK-5); about the instant it used 80 % (the
 *   deadline − 0.2 · norm in business time).
 * - `melding.verlopen`: a clock that has not stopped has used its whole norm and is not paused
 *   (at the deadline itself, or when it runs again after a pause that began at it); about the
 *   deadline.
 * - `voortgang.gemist`: a due instant of a progress update reached while the melding is open and
 *   not opgelost, without an update at or before it (R-COM-2); about the due instant.
 * - `melding.automatisch-gesloten`: gesloten with reason `geen-reactie` (R-SLU-2); about the
 *   closing instant.
 */
export type SignaalSoort =
  | 'melding.geregistreerd' | 'melding.risico' | 'melding.verlopen' | 'voortgang.gemist' | 'melding.automatisch-gesloten'
  | 'beschikbaarheid.onder-norm' | 'rapportage.definitief' | 'koppeling.fout'
  | 'verplichting.binnenkort' | 'verplichting.verlopen'
export const SIGNAAL_SOORTEN: readonly SignaalSoort[] = [
  'melding.geregistreerd', 'melding.risico', 'melding.verlopen', 'voortgang.gemist', 'melding.automatisch-gesloten',
  'beschikbaarheid.onder-norm', 'rapportage.definitief', 'koppeling.fout', 'verplichting.binnenkort', 'verplichting.verlopen'
]

export type SignaalKlok = 'reactie' | 'functieherstel' | 'voortgang'

export interface MeldingSignaal {
  readonly soort: SignaalSoort
  readonly klok: SignaalKlok | null
  /** The instant it is about: the 80 % point, the deadline, the due instant, the closing, gemeldOp. */
  readonly op: Instant
  /** The clock's deadline, for risico and verlopen. */
  readonly deadline: Instant | null
  /** Stable within the melding: soort, klok and the deadline (risico, verlopen) or the instant it is about. */
  readonly sleutel: string
}

export interface GevuurdSignaal extends MeldingSignaal {
  /** The first instant its condition held: when it is sent (at its instant, or when the facts showed it). */
  readonly gevuurdOp: Instant
  /** The melding's state at that instant (what a person needs to act: priority, time left). */
  readonly toestand: SlaState
}

const RISICO_DEEL = 0.8
const iso = (t: Instant): string => new Date(t).toISOString()

export const signaalSleutel = (soort: SignaalSoort, klok: SignaalKlok | null, op: Instant): string => `${soort}:${klok ?? '-'}:${iso(op)}`

// The key of a clock's signal names its deadline (a moved deadline is a new signal, even when its
// 80 % point stays where it was, as after a reopening); the others name the instant they are about.
const mk = (soort: SignaalSoort, klok: SignaalKlok | null, op: Instant, deadline: Instant | null): MeldingSignaal =>
  ({ soort, klok, op, deadline, sleutel: signaalSleutel(soort, klok, deadline ?? op) })

const pausesOf = (s: SlaState): Interval[] => s.segmenten.filter((x) => !x.loopt).map((x) => ({ start: x.start, end: x.end }))

/** The instant a clock used 80 % of its norm: the earliest one (R-CAL-5), through its pauses. */
function risicoOp (feiten: MeldingFeiten, ctx: SlaContext, s: SlaState, norm: number): Instant {
  const cal = ctx.calendar(ctx.normen.perPrioriteit[s.prioriteit].kalender)
  return cal.deadline(feiten.gemeldOp, RISICO_DEEL * norm, pausesOf(s))
}

const klokken = (s: SlaState): Array<['reactie' | 'functieherstel', Klok]> => [['reactie', s.reactie], ['functieherstel', s.functieherstel]]

/** The signals whose condition holds in the state `s` (computed at its peilmoment). */
export function signalenIn (feiten: MeldingFeiten, ctx: SlaContext, s: SlaState): MeldingSignaal[] {
  const out: MeldingSignaal[] = []
  if ((s.prioriteit <= 2 || feiten.type === 'beveiligingsincident') && s.status !== 'gesloten') {
    out.push(mk('melding.geregistreerd', null, feiten.gemeldOp, null))
  }
  for (const [naam, k] of klokken(s)) {
    if (k.norm === null || k.deadline === null || k.verbruikt === null || k.gestopt) continue
    if (k.verbruikt >= k.norm && (k.status === 'lopend' || k.status === 'verlopen')) out.push(mk('melding.verlopen', naam, k.deadline, k.deadline))
    else if (k.status === 'lopend' && k.verbruikt >= RISICO_DEEL * k.norm) out.push(mk('melding.risico', naam, risicoOp(feiten, ctx, s, k.norm), k.deadline))
  }
  if (s.status !== 'opgelost' && s.status !== 'gesloten') {
    for (const d of s.voortgang.gemistOp) out.push(mk('voortgang.gemist', 'voortgang', d, null))
    const v = s.voortgang.volgendeOp
    if (v !== null && v <= s.peilmoment) out.push(mk('voortgang.gemist', 'voortgang', v, null))
  }
  if (s.status === 'gesloten') {
    const closing = s.segmenten[s.segmenten.length - 1]?.start
    const auto = feiten.gebeurtenissen.some((e) => e.type === 'status' && e.status === 'gesloten' && e.sluitreden === 'geen-reactie' &&
      Math.max(e.op, feiten.gemeldOp) === closing)
    if (auto && closing !== undefined) out.push(mk('melding.automatisch-gesloten', null, closing, null))
  }
  return out
}

/**
 * The next instant to look again after the state's peilmoment: the next event ahead (one dated
 * in the future), or the next at which a signal's condition starts to hold if no event comes in: a running clock reaching 80 % of its norm or its deadline, the next progress
 * update falling due. Null when nothing lies ahead (paused, stopped, closed).
 */
export function volgendSignaalOp (feiten: MeldingFeiten, ctx: SlaContext, s: SlaState): Instant | null {
  const t = s.peilmoment
  let next: Instant | null = null
  const consider = (x: Instant): void => { if (x > t && (next === null || x < next)) next = x }
  for (const e of feiten.gebeurtenissen) consider(Math.max(e.op, feiten.gemeldOp))
  for (const [, k] of klokken(s)) {
    if (k.status !== 'lopend' || k.norm === null || k.deadline === null || k.verbruikt === null) continue
    if (k.verbruikt < RISICO_DEEL * k.norm) consider(risicoOp(feiten, ctx, s, k.norm))
    consider(k.deadline)
  }
  const v = s.voortgang.volgendeOp
  if (s.status !== 'opgelost' && s.status !== 'gesloten' && v !== null && s.voortgang.cadans !== null) {
    // Due at the peilmoment itself (fired now): the next one is due a cadence later (R-COM-2).
    consider(v > t ? v : ctx.calendar(ctx.normen.perPrioriteit[s.prioriteit].kalender).deadline(v, s.voortgang.cadans, pausesOf(s)))
  }
  return next
}

export interface SignalenTussen {
  /** Each key once, at the first instant in (van, tot] its condition held, in time order. */
  readonly signalen: readonly GevuurdSignaal[]
  /** The next instant after `tot` to look again (a signal instant or an event ahead); null: none. */
  readonly volgendeOp: Instant | null
}

/**
 * The signals of a melding that fire in (van, tot], each at the first instant its condition held:
 * the state is evaluated at each event instant and each signal instant in between (the next
 * one computed from the state at the previous), and at `tot` itself (what holds now, also after
 * events that arrived late). A job that calls this for consecutive windows fires each signal at
 * its instant, whatever the job's interval or downtime (it catches up).
 */
export function signalenTussen (feiten: MeldingFeiten, ctx: SlaContext, van: Instant, tot: Instant): SignalenTussen {
  if (tot < feiten.gemeldOp) return { signalen: [], volgendeOp: feiten.gemeldOp }
  const seen = new Set<string>()
  const signalen: GevuurdSignaal[] = []
  const fire = (s: SlaState, t: Instant): void => {
    for (const x of signalenIn(feiten, ctx, s)) {
      if (seen.has(x.sleutel)) continue
      seen.add(x.sleutel)
      signalen.push({ ...x, gevuurdOp: t, toestand: s })
    }
  }
  let t = Math.max(van, feiten.gemeldOp - 1)
  let state = computeSla(feiten, ctx, t)
  for (;;) {
    const next = t < feiten.gemeldOp ? feiten.gemeldOp : volgendSignaalOp(feiten, ctx, state)
    if (next === null || next > tot) break
    t = next
    state = computeSla(feiten, ctx, t)
    fire(state, t)
  }
  if (t < tot) {
    state = computeSla(feiten, ctx, tot)
    fire(state, tot)
  }
  return { signalen, volgendeOp: volgendSignaalOp(feiten, ctx, state) }
}
export * from './beschikbaarheid.js'

export { BINNENKORT_WERKDAGEN, verplichtingSignalen, type VerplichtingSignaal } from './verplichtingen.js'
