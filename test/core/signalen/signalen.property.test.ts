// Issue 14: the signals of random melding lifecycles, fired window by window as the job does,
// equal those of a slow reference that steps through time on a fine grid with computeSla and
// reads the conditions off the clocks itself: each signal exactly once, at its instant.
import t from 'tap'
import fc from 'fast-check'
import { computeSla, signalenTussen, STATUSES, type Gebeurtenis, type MeldingFeiten, type SlaState } from '../../../src/core/index.js'
import { ctx } from '../sla/helpers.js'

const MIN = 60_000
const HOUR = 60 * MIN
// Events and gemeldOp on whole hours; 80 % of any norm (48 min, 3 h 12 min, 6 h 24 min, …) is a
// multiple of 12 minutes, so every signal instant lies on this grid.
const GRID = 12 * MIN
const HORIZON = 7 * 24 * HOUR

const lifecycleArb = fc.record({
  gemeldOp: fc.integer({ min: Date.UTC(2026, 0, 1) / HOUR, max: Date.UTC(2026, 11, 1) / HOUR }).map((h) => h * HOUR),
  prioriteit: fc.constantFrom(1, 2, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
  type: fc.constantFrom('verstoring', 'verstoring', 'beveiligingsincident', 'vraag') as fc.Arbitrary<'verstoring' | 'beveiligingsincident' | 'vraag'>,
  events: fc.array(fc.record({
    kind: fc.constantFrom('reactie', 'status', 'status', 'status', 'prioriteit', 'voortgang', 'voortgang') as fc.Arbitrary<Gebeurtenis['type']>,
    hour: fc.integer({ min: -2, max: 6 * 24 }),
    status: fc.constantFrom(...STATUSES),
    prioriteit: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
    geenReactie: fc.boolean()
  }), { maxLength: 10 }),
  // The instants (hours after gemeldOp) at which the job runs; between them it was down.
  runs: fc.array(fc.integer({ min: 0, max: 7 * 24 }), { maxLength: 8 })
})
type Lifecycle = typeof lifecycleArb extends fc.Arbitrary<infer L> ? L : never

function feitenOf (l: Lifecycle): MeldingFeiten {
  return {
    gemeldOp: l.gemeldOp,
    type: l.type,
    omgeving: 'productie',
    gevraagdePrioriteit: l.prioriteit,
    gebeurtenissen: l.events.map((e, i): Gebeurtenis => ({
      id: `e${String(i).padStart(2, '0')}`,
      type: e.kind,
      op: l.gemeldOp + e.hour * HOUR,
      ...(e.kind === 'status' ? { status: e.status, ...(e.status === 'gesloten' ? { sluitreden: e.geenReactie ? 'geen-reactie' as const : 'oplossing-geaccepteerd' as const } : {}) } : {}),
      ...(e.kind === 'prioriteit' ? { prioriteit: e.prioriteit } : {})
    }))
  }
}

/** key → [instant it is about, first instant it held]: stepping every GRID with computeSla. */
function reference (f: MeldingFeiten): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>()
  const add = (key: string, about: number, t: number): void => { if (!out.has(key)) out.set(key, [about, t]) }
  const states: SlaState[] = []
  for (let t = f.gemeldOp; t <= f.gemeldOp + HORIZON; t += GRID) {
    const s = computeSla(f, ctx, t)
    states.push(s)
    if ((s.prioriteit <= 2 || f.type === 'beveiligingsincident') && s.status !== 'gesloten') add('melding.geregistreerd:-', f.gemeldOp, t)
    for (const naam of ['reactie', 'functieherstel'] as const) {
      const k = s[naam]
      if (k.norm === null || k.verbruikt === null || k.deadline === null || k.gestopt) continue
      if (k.verbruikt >= k.norm && k.status !== 'gepauzeerd') add(`melding.verlopen:${naam}:${k.deadline}`, k.deadline, t)
      else if (k.status === 'lopend' && (k.resterend ?? 0) <= 0.2 * k.norm) {
        // The instant it had used 80 % of the norm: the first grid step at which it had. A running
        // reactie clock never paused (any status change is a reaction), so its use is plain business
        // time, also while an earlier priority had no reactie norm.
        const used = (x: SlaState): number => naam === 'reactie' ? ctx.calendar('kantooruren').businessTime(f.gemeldOp, x.peilmoment) : x.functieherstel.verbruikt ?? 0
        const first = states.find((x) => used(x) >= 0.8 * (k.norm ?? 0)) as SlaState
        add(`melding.risico:${naam}:${k.deadline}`, first.peilmoment, t)
      }
    }
    if (s.status !== 'opgelost' && s.status !== 'gesloten') {
      const due = [...s.voortgang.gemistOp, ...(s.voortgang.volgendeOp !== null && s.voortgang.volgendeOp <= t ? [s.voortgang.volgendeOp] : [])]
      for (const d of due) add(`voortgang.gemist:${d}`, d, t)
    }
    if (s.status === 'gesloten') {
      const closing = f.gebeurtenissen.filter((e) => e.type === 'status' && Math.max(e.op, f.gemeldOp) <= t).sort((a, b) => a.op - b.op || a.id.localeCompare(b.id)).at(-1)
      const since = s.segmenten.at(-1)?.start
      if (closing !== undefined && f.gebeurtenissen.some((e) => e.sluitreden === 'geen-reactie' && Math.max(e.op, f.gemeldOp) === since)) add(`melding.automatisch-gesloten:${since ?? 0}`, since ?? 0, t)
    }
  }
  return out
}

const keyOf = (x: { soort: string, klok: string | null, op: number, deadline: number | null }): string =>
  x.soort === 'melding.geregistreerd' ? 'melding.geregistreerd:-'
    : x.soort === 'voortgang.gemist' || x.soort === 'melding.automatisch-gesloten' ? `${x.soort}:${x.op}`
      : `${x.soort}:${x.klok ?? ''}:${x.deadline ?? ''}`

t.test('signals fired window by window equal the slow reference: each once, at its instant', async (t) => {
  let fired = 0
  fc.assert(fc.property(lifecycleArb, (l) => {
    const f = feitenOf(l)
    const end = f.gemeldOp + HORIZON
    const windows = [...new Set([...l.runs.map((h) => f.gemeldOp + h * HOUR), end])].sort((a, b) => a - b)
    const got = new Map<string, [number, number]>()
    let van = f.gemeldOp - HOUR
    for (const tot of windows) {
      const r = signalenTussen(f, ctx, van, tot)
      // The outbox's unique key: a signal whose condition still holds in a later window is not sent again.
      const inWindow = new Set<string>()
      for (const s of r.signalen) {
        const k = keyOf(s)
        if (inWindow.has(k)) throw new Error(`${k} twice in one window`)
        inWindow.add(k)
        if (s.gevuurdOp <= van || s.gevuurdOp > tot) throw new Error(`${k} fired outside its window`)
        if (!got.has(k)) got.set(k, [s.op, s.gevuurdOp])
      }
      if (r.volgendeOp !== null && r.volgendeOp <= tot) throw new Error('next instant not ahead')
      van = tot
    }
    const want = reference(f)
    fired += got.size
    t.same(Object.fromEntries([...got].sort()), Object.fromEntries([...want].sort()), JSON.stringify(l))
    return true
  }), { numRuns: Number(process.env.SIGNALEN_RUNS ?? 150) })
  t.ok(fired > 100, `${fired} signals compared`)
})
