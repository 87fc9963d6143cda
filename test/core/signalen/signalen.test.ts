// Issue 14: worked examples of the signals of a melding (times in Europe/Amsterdam).
import t from 'tap'
import { signalenTussen, type MeldingFeiten } from '../../../src/core/index.js'
import { at, ctx, ev } from '../sla/helpers.js'

const iso = (x: number): string => new Date(x).toISOString()
const list = (f: MeldingFeiten, van: string, tot: string): string[] =>
  signalenTussen(f, ctx, at(van), at(tot)).signalen.map((s) => `${s.soort} ${s.klok ?? '-'} ${iso(s.op)} @${iso(s.gevuurdOp)}`)

const e1: MeldingFeiten = { gemeldOp: at('2026-03-10T09:30:00+01:00'), type: 'verstoring', omgeving: 'productie', gevraagdePrioriteit: 2, gebeurtenissen: [] }

t.test('E1, prio 2 without any reaction: geregistreerd, risico at 80 %, verlopen at the deadline, progress missed', async (t) => {
  t.same(list(e1, '2026-03-10T09:00:00+01:00', '2026-03-10T18:00:00+01:00'), [
    'melding.geregistreerd - 2026-03-10T08:30:00.000Z @2026-03-10T08:30:00.000Z',
    'melding.risico reactie 2026-03-10T09:18:00.000Z @2026-03-10T09:18:00.000Z',
    'melding.verlopen reactie 2026-03-10T09:30:00.000Z @2026-03-10T09:30:00.000Z',
    'voortgang.gemist voortgang 2026-03-10T16:30:00.000Z @2026-03-10T16:30:00.000Z'
  ])
  t.same(list(e1, '2026-03-11T00:00:00+01:00', '2026-03-12T10:00:00+01:00'), [
    'melding.geregistreerd - 2026-03-10T08:30:00.000Z @2026-03-11T14:30:00.000Z',
    'melding.verlopen reactie 2026-03-10T09:30:00.000Z @2026-03-11T14:30:00.000Z',
    'melding.risico functieherstel 2026-03-11T14:30:00.000Z @2026-03-11T14:30:00.000Z',
    'voortgang.gemist voortgang 2026-03-10T16:30:00.000Z @2026-03-11T14:30:00.000Z',
    'voortgang.gemist voortgang 2026-03-11T14:30:00.000Z @2026-03-11T14:30:00.000Z',
    'melding.verlopen functieherstel 2026-03-12T08:30:00.000Z @2026-03-12T08:30:00.000Z'
  ], 'a later window sees what still holds at its start again (the outbox drops the repeats by key) and the new ones at their instant; the first evaluation of a window is at its first signal instant')
  const next = signalenTussen(e1, ctx, at('2026-03-10T09:00:00+01:00'), at('2026-03-10T10:00:00+01:00')).volgendeOp
  t.equal(iso(next ?? 0), '2026-03-10T09:18:00.000Z', 'the next signal instant: 80 % of the reactie norm, 10:18 local')
})

t.test('a pause moves the deadline, and its signals move with it', async (t) => {
  const f: MeldingFeiten = {
    ...e1,
    gebeurtenissen: [
      ev('reactie', '2026-03-10T09:40:00+01:00'),
      ev('voortgang', '2026-03-10T09:40:00+01:00'),
      ev('status', '2026-03-10T11:00:00+01:00', { status: 'wachten-op-klant' }),
      ev('status', '2026-03-11T11:00:00+01:00', { status: 'in-behandeling' }),
      ev('voortgang', '2026-03-11T12:00:00+01:00'),
      ev('voortgang', '2026-03-11T17:00:00+01:00'),
      ev('voortgang', '2026-03-12T15:00:00+01:00')
    ]
  }
  t.same(list(f, '2026-03-10T09:00:00+01:00', '2026-03-13T18:00:00+01:00'), [
    'melding.geregistreerd - 2026-03-10T08:30:00.000Z @2026-03-10T08:30:00.000Z',
    'melding.risico functieherstel 2026-03-12T14:30:00.000Z @2026-03-12T14:30:00.000Z',
    'melding.verlopen functieherstel 2026-03-13T08:30:00.000Z @2026-03-13T08:30:00.000Z',
    'voortgang.gemist voortgang 2026-03-13T12:00:00.000Z @2026-03-13T12:00:00.000Z'
  ], 'functieherstel 10 werkuren later (Fri 09:30 instead of Thu 09:30); the reactie clock stopped in time; updates in time until Thu 15:00, the next due Fri 13:00 is missed')
})

t.test('a priority raised past the risico point fires at once, about the new deadline', async (t) => {
  const f: MeldingFeiten = {
    ...e1, gevraagdePrioriteit: 3,
    gebeurtenissen: [ev('reactie', '2026-03-10T09:40:00+01:00'), ev('prioriteit', '2026-03-10T13:00:00+01:00', { prioriteit: 1 })]
  }
  t.same(list(f, '2026-03-10T09:00:00+01:00', '2026-03-10T13:30:00+01:00'), [
    'melding.geregistreerd - 2026-03-10T08:30:00.000Z @2026-03-10T12:00:00.000Z',
    'melding.risico functieherstel 2026-03-10T11:42:00.000Z @2026-03-10T12:00:00.000Z',
    'voortgang.gemist voortgang 2026-03-10T09:30:00.000Z @2026-03-10T12:00:00.000Z',
    'voortgang.gemist voortgang 2026-03-10T10:30:00.000Z @2026-03-10T12:00:00.000Z',
    'voortgang.gemist voortgang 2026-03-10T11:30:00.000Z @2026-03-10T12:00:00.000Z',
    'melding.verlopen functieherstel 2026-03-10T12:30:00.000Z @2026-03-10T12:30:00.000Z',
    'voortgang.gemist voortgang 2026-03-10T12:30:00.000Z @2026-03-10T12:30:00.000Z'
  ], 'prio 1 from the start (R-PRI-5): 4 werkuren from 09:30 local, 80 % at 12:42, known at the change at 13:00; the missed hourly updates too; the deadline and the next update both 13:30')
})

t.test('automatically closed: one signal at the closing instant', async (t) => {
  const f: MeldingFeiten = {
    ...e1, gevraagdePrioriteit: 3,
    gebeurtenissen: [ev('status', '2026-12-21T10:00:00+01:00', { status: 'opgelost' }), ev('status', '2027-01-06T10:00:00+01:00', { status: 'gesloten', sluitreden: 'geen-reactie' })]
  }
  t.same(list(f, '2026-12-21T11:00:00+01:00', '2027-01-07T00:00:00+01:00'), ['melding.automatisch-gesloten - 2027-01-06T09:00:00.000Z @2027-01-06T09:00:00.000Z'])
  t.equal(signalenTussen(f, ctx, at('2027-01-06T11:00:00+01:00'), at('2027-02-01T00:00:00+01:00')).volgendeOp, null, 'nothing lies ahead of a closed melding')
})
