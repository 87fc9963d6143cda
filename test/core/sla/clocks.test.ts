// The SLA clocks in the pure core, with the worked examples of SLA-RULES §11 and the R-CLK,
// R-PRI, R-COM and R-SLU rules one by one.
import t from 'tap'
import { HOUR, MINUTE } from '../../../src/core/index.js'
import { at, ev, sla } from './helpers.js'

t.test('E1: prio 2 reactie and functieherstel deadlines while running (R-CLK-1, R-CLK-5)', async (t) => {
  const s = sla({ gemeldOp: at('2026-03-10T09:30:00+01:00'), gevraagdePrioriteit: 2 }, '2026-03-10T09:40:00+01:00')
  t.match(s.reactie, { status: 'lopend', norm: HOUR, deadline: at('2026-03-10T10:30:00+01:00'), verbruikt: 10 * MINUTE, resterend: 50 * MINUTE, risico: false, beslistOp: null })
  t.match(s.functieherstel, { status: 'lopend', norm: 20 * HOUR, deadline: at('2026-03-12T09:30:00+01:00') })
  t.match(s.voortgang, { cadans: 8 * HOUR, volgendeOp: at('2026-03-10T17:30:00+01:00'), gemist: 0 })
})

t.test('E2, E3, E6, E7 deadlines through the clocks', async (t) => {
  const e2 = sla({ gemeldOp: at('2026-04-03T16:00:00+02:00'), gevraagdePrioriteit: 3 }, '2026-04-03T16:00:00+02:00')
  t.equal(e2.reactie.deadline, at('2026-04-07T10:00:00+02:00'))
  t.equal(e2.functieherstel.deadline, at('2026-04-13T16:00:00+02:00'))
  const e3 = sla({ gemeldOp: at('2026-03-28T10:00:00+01:00'), gevraagdePrioriteit: 4 }, '2026-03-28T10:00:00+01:00')
  t.equal(e3.reactie.deadline, at('2026-03-30T16:00:00+02:00'))
  t.equal(e3.functieherstel.deadline, at('2026-04-13T18:00:00+02:00'))
  const e6 = sla({ gemeldOp: at('2026-05-13T16:30:00+02:00'), gevraagdePrioriteit: 1 }, '2026-05-13T16:30:00+02:00')
  t.equal(e6.functieherstel.deadline, at('2026-05-15T10:30:00+02:00'))
  t.equal(e6.reactie.status, 'nvt', 'prio 1 has no reactie norm')
  const e7 = sla({ gemeldOp: at('2026-10-23T17:30:00+02:00'), gevraagdePrioriteit: 2 }, '2026-10-23T17:30:00+02:00')
  t.equal(e7.reactie.deadline, at('2026-10-26T08:30:00+01:00'))
  t.equal(e7.functieherstel.deadline, at('2026-10-27T17:30:00+01:00'))
})

t.test('E4: wachten-op-informatie pauses the clock; gepauzeerd has no deadline (R-CLK-3)', async (t) => {
  const events = [ev('status', '2026-06-03T14:00:00+02:00', { status: 'wachten-op-informatie' }), ev('status', '2026-06-04T10:00:00+02:00', { status: 'in-behandeling' })]
  const f = { gemeldOp: at('2026-06-03T11:00:00+02:00'), gevraagdePrioriteit: 3 as const, gebeurtenissen: events }
  const paused = sla(f, '2026-06-03T15:00:00+02:00')
  t.match(paused.functieherstel, { status: 'gepauzeerd', deadline: null, verbruikt: 3 * HOUR, resterend: 47 * HOUR })
  const running = sla(f, '2026-06-04T11:00:00+02:00')
  t.match(running.functieherstel, { status: 'lopend', deadline: at('2026-06-10T17:00:00+02:00'), verbruikt: 4 * HOUR })
  t.equal(running.reactie.status, 'behaald', 'the status change away from geregistreerd was the reaction (R-CLK-2)')
  t.equal(running.reactie.beslistOp, at('2026-06-03T14:00:00+02:00'))
})

t.test('E5: omgeving test is prioriteit 4 whatever was asked (R-PRI-4)', async (t) => {
  const s = sla({ gemeldOp: at('2026-03-10T09:30:00+01:00'), omgeving: 'test', gevraagdePrioriteit: 1 }, '2026-03-10T09:30:00+01:00')
  t.equal(s.prioriteit, 4)
  t.equal(s.prioriteitRegel, 'R-PRI-4')
  t.equal(s.functieherstel.norm, 100 * HOUR)
})

t.test('E8: reopened: the functiehersteltijd is the total running time up to the last opgelost (R-CLK-4)', async (t) => {
  const f = {
    gemeldOp: at('2026-09-07T09:00:00+02:00'),
    gevraagdePrioriteit: 3 as const,
    gebeurtenissen: [
      ev('status', '2026-09-08T09:00:00+02:00', { status: 'opgelost' }),
      ev('status', '2026-09-09T12:00:00+02:00', { status: 'in-behandeling' }),
      ev('status', '2026-09-11T10:00:00+02:00', { status: 'opgelost' })
    ]
  }
  const first = sla(f, '2026-09-08T12:00:00+02:00')
  t.match(first.functieherstel, { status: 'behaald', verbruikt: 10 * HOUR, beslistOp: at('2026-09-08T09:00:00+02:00') })
  const reopened = sla(f, '2026-09-10T12:00:00+02:00')
  t.match(reopened.functieherstel, { status: 'lopend', verbruikt: 20 * HOUR, beslistOp: null })
  const final = sla(f, '2026-09-14T12:00:00+02:00')
  t.match(final.functieherstel, { status: 'behaald', verbruikt: 28 * HOUR, beslistOp: at('2026-09-11T10:00:00+02:00') })
})

t.test('E9: opgelost without reaction closes 100 werkuren later (R-SLU-2)', async (t) => {
  const s = sla({ gemeldOp: at('2026-12-18T09:00:00+01:00'), gevraagdePrioriteit: 3, gebeurtenissen: [ev('status', '2026-12-21T10:00:00+01:00', { status: 'opgelost' })] }, '2026-12-22T10:00:00+01:00')
  t.equal(s.automatischSluitenOp, at('2027-01-06T10:00:00+01:00'))
  const closed = sla({ gemeldOp: at('2026-12-18T09:00:00+01:00'), gevraagdePrioriteit: 3, gebeurtenissen: [ev('status', '2026-12-21T10:00:00+01:00', { status: 'opgelost' }), ev('status', '2026-12-23T10:00:00+01:00', { status: 'in-behandeling' })] }, '2026-12-24T10:00:00+01:00')
  t.equal(closed.automatischSluitenOp, null, 'a reopening ends the wait')
})

t.test('E10: prio 1 with updates at 09:50, 11:05, 12:00, opgelost 13:00: 1 gemist (R-COM-2)', async (t) => {
  const f = {
    gemeldOp: at('2026-11-30T09:00:00+01:00'),
    gevraagdePrioriteit: 1 as const,
    gebeurtenissen: [
      ev('voortgang', '2026-11-30T09:50:00+01:00'), ev('voortgang', '2026-11-30T11:05:00+01:00'),
      ev('voortgang', '2026-11-30T12:00:00+01:00'), ev('status', '2026-11-30T13:00:00+01:00', { status: 'opgelost' })
    ]
  }
  const s = sla(f, '2026-11-30T17:00:00+01:00')
  t.equal(s.voortgang.gemist, 1)
  t.same(s.voortgang.gemistOp, [at('2026-11-30T10:50:00+01:00')])
  t.equal(s.voortgang.volgendeOp, null, 'nothing is due once opgelost')
  t.match(s.functieherstel, { status: 'behaald', verbruikt: 4 * HOUR })
  const before = sla(f, '2026-11-30T11:00:00+01:00')
  t.equal(before.voortgang.gemist, 1, 'the 10:50 update was missed by 11:00')
  t.equal(before.voortgang.volgendeOp, at('2026-11-30T11:50:00+01:00'))
})

t.test('R-CLK-5: at the deadline itself counts as within; past it verlopen, running or stopped', async (t) => {
  const gemeld = at('2026-03-10T09:00:00+01:00')
  const at1000 = ev('reactie', '2026-03-10T10:00:00+01:00')
  t.match(sla({ gemeldOp: gemeld, gebeurtenissen: [at1000] }, '2026-03-10T12:00:00+01:00').reactie, { status: 'behaald', beslistOp: at('2026-03-10T10:00:00+01:00') })
  const late = ev('reactie', '2026-03-10T10:00:01+01:00')
  t.match(sla({ gemeldOp: gemeld, gebeurtenissen: [late] }, '2026-03-10T12:00:00+01:00').reactie, { status: 'verlopen', beslistOp: at('2026-03-10T10:00:00+01:00') })
  t.match(sla({ gemeldOp: gemeld }, '2026-03-10T10:30:00+01:00').reactie, { status: 'verlopen', resterend: null, beslistOp: at('2026-03-10T10:00:00+01:00') })
  t.match(sla({ gemeldOp: gemeld }, '2026-03-10T10:00:00+01:00').reactie, { status: 'lopend', resterend: 0, risico: true })
  t.match(sla({ gemeldOp: gemeld }, '2026-03-10T09:49:00+01:00').reactie, { risico: true }, 'under 20 % left')
  t.match(sla({ gemeldOp: gemeld }, '2026-03-10T09:47:00+01:00').reactie, { risico: false })
})

t.test('R-PRI-5: a priority change recomputes from the start with the new norms; R-PRI-6 disputes change nothing', async (t) => {
  const gemeld = at('2026-03-10T09:00:00+01:00')
  const f = { gemeldOp: gemeld, gevraagdePrioriteit: 3 as const, gebeurtenissen: [ev('prioriteit-betwist', '2026-03-10T09:30:00+01:00'), ev('prioriteit', '2026-03-10T11:00:00+01:00', { prioriteit: 2 })] }
  const before = sla(f, '2026-03-10T10:30:00+01:00')
  t.match(before, { prioriteit: 3, betwist: [at('2026-03-10T09:30:00+01:00')] })
  t.equal(before.reactie.status, 'lopend')
  const after = sla(f, '2026-03-10T11:30:00+01:00')
  t.equal(after.prioriteit, 2)
  t.match(after.reactie, { status: 'verlopen', norm: HOUR, deadline: at('2026-03-10T10:00:00+01:00') }, 'retroactively verlopen under the new norm')
  t.match(after.prioriteitHistorie, [{ gevraagd: 2, prioriteit: 2 }])
  const test = sla({ ...f, omgeving: 'test' }, '2026-03-10T11:30:00+01:00')
  t.equal(test.prioriteit, 4, 'a test melding stays 4 (R-PRI-4)')
  const sec = sla({ ...f, type: 'beveiligingsincident' }, '2026-03-10T11:30:00+01:00')
  t.equal(sec.prioriteit, 1, 'a security incident stays 1 (R-PRI-2)')
  t.equal(sla({ gemeldOp: gemeld, type: 'vraag', gevraagdePrioriteit: undefined }, gemeld).prioriteit, 3, 'R-PRI-3')
})

t.test('R-CLK-7: events before gemeldOp and after gesloten are used and flagged', async (t) => {
  const gemeld = at('2026-03-10T09:00:00+01:00')
  const early = ev('reactie', '2026-03-10T08:55:00+01:00')
  const close = ev('status', '2026-03-10T12:00:00+01:00', { status: 'gesloten', sluitreden: 'oplossing-geaccepteerd' })
  const late = ev('opmerking', '2026-03-10T13:00:00+01:00')
  const s = sla({ gemeldOp: gemeld, gebeurtenissen: [late, close, early] }, '2026-03-10T14:00:00+01:00')
  t.same(s.afwijkingen.map((a) => a.soort), ['voor-gemeld', 'na-gesloten'])
  t.match(s.reactie, { status: 'behaald', verbruikt: 0, beslistOp: gemeld })
  t.match(s.functieherstel, { status: 'behaald', verbruikt: 3 * HOUR, beslistOp: at('2026-03-10T12:00:00+01:00') })
  t.equal(s.status, 'gesloten')
})

t.test('a peilmoment before gemeldOp reads as gemeldOp; events after the peilmoment are ignored', async (t) => {
  const gemeld = at('2026-03-10T09:00:00+01:00')
  const s = sla({ gemeldOp: gemeld, gebeurtenissen: [ev('reactie', '2026-03-10T09:10:00+01:00')] }, '2026-03-09T09:00:00+01:00')
  t.match(s, { peilmoment: gemeld, reactieOp: null })
  t.equal(s.reactie.verbruikt, 0)
})

t.test('opgelost exactly at the peilmoment stops the clock', async (t) => {
  const s = sla({ gemeldOp: at('2026-03-10T09:00:00+01:00'), gebeurtenissen: [ev('status', '2026-03-10T10:00:00+01:00', { status: 'opgelost' })] }, '2026-03-10T10:00:00+01:00')
  t.match(s.functieherstel, { status: 'behaald', beslistOp: at('2026-03-10T10:00:00+01:00') })
})
