import t from 'tap'
import { BOOTSTRAP, build, standardContract, withKeys } from '../helpers/app.js'
import { documentedResponses } from '../helpers/openapi.js'
import { deliver, eventsOf, koppeling, meldingenOf, sign } from '../helpers/koppelingen.js'

/**
 * Issue 12, item 5 and the rest of item 4: what the tools themselves say a deadline is, next to
 * ours, with the likely reason when they differ; JSM's own first response; comments as voortgang;
 * type and omgeving from a field of the ticket; a default priority. Payload shapes from
 * INTEGRATIONS.md (TOPdesk `targetDate` / `sla`, JSM SLA fields with cycles, Zendesk events).
 * Our deadlines are the worked example E1 (prio 2 gemeld Tue 10 March 2026 09:30: reactie 10:30,
 * functieherstel Thu 12 March 09:30) and E2's Easter.
 */

const Z = (s: string): string => s.replace('Z', '.000+0000')

const incident = (id: string, mod: string, fields: object = {}): string => JSON.stringify({
  id, number: `M26 ${id.slice(0, 4)}`, briefDescription: 'Zaaksysteem traag', callDate: Z('2026-03-10T08:30:00Z'), modificationDate: Z(mod),
  priority: { id: 'p2', name: 'P2 Hoog' }, responded: false, onHold: false, completed: false, closed: false, ...fields
})

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

interface Deadline { klok: string, bron: string, eigen: string | null, verschil: string | null, richting: string | null, afwijkend: boolean, reden: string | null, volgensPrioriteit: number | null, toelichting: string, bronNorm: string | null }

t.test('the tools\' own deadlines against ours', async (t) => {
  const { app, handle, call } = await build(t)
  const { leverancierId, keys } = await withKeys(call)
  const documented = documentedResponses(app)
  const contract = await standardContract(call, leverancierId)
  const td = await koppeling(call, contract, 'topdesk')
  const push = async (body: string): Promise<void> => {
    const r = await deliver(call, td.id, body, sign.topdesk(td.geheim))
    if (r.data.resultaat !== 'verwerkt') throw new Error(JSON.stringify(r.data))
  }
  const melding = async (kenmerk: string): Promise<any> => {
    const list = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=${contract}&pageSize=100` })
    const m = list.data.resultaten.find((x: any) => x.kenmerk === kenmerk)
    const one = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen/${m.id as string}` })
    t.same(documented('GET', '/api/v1/meldingen/{id}', 200, one.data), [], 'as documented')
    t.same(one.data.bron, m.bron, 'the list says what the single read says')
    return one.data
  }
  const deadline = (m: any, klok: string): Deadline => m.bron.deadlines.find((d: Deadline) => d.klok === klok)

  // A: TOPdesk agrees (30 seconds apart is within the margin of a minute).
  await push(incident(uuid(1), '2026-03-10T08:31:00Z', { sla: { responseTargetDate: Z('2026-03-10T09:30:00Z'), targetDate: '2026-03-12T08:30:30.000+0000' } }))
  // B: TOPdesk counts 20 hours around the clock.
  await push(incident(uuid(2), '2026-03-10T08:31:00Z', { targetDate: Z('2026-03-11T04:30:00Z') }))
  // C: on hold 10:30–12:30 (waiting on the gemeente), TOPdesk's target ignores the pause.
  await push(incident(uuid(3), '2026-03-10T08:30:00Z'))
  await push(incident(uuid(3), '2026-03-10T09:30:00Z', { onHold: true, onHoldDate: Z('2026-03-10T09:30:00Z') }))
  await push(incident(uuid(3), '2026-03-10T11:30:00Z', { sla: { targetDate: Z('2026-03-12T08:30:00Z') } }))
  // D: reported on Friday 3 April 14:00 before Easter; TOPdesk counts Tweede Paasdag as a werkdag.
  await push(incident(uuid(4), '2026-04-03T12:01:00Z', { callDate: Z('2026-04-03T12:00:00Z'), targetDate: Z('2026-04-07T12:00:00Z') }))
  // E: reported as P3, made P2 half an hour later; TOPdesk keeps P3's target.
  await push(incident(uuid(5), '2026-03-10T08:30:00Z', { priority: { id: 'p3', name: 'P3 Normaal' } }))
  await push(incident(uuid(5), '2026-03-10T09:00:00Z', { targetDate: Z('2026-03-17T08:30:00Z') }))
  // E, an older snapshot arriving late with another target: the newest by TOPdesk's time counts.
  await push(incident(uuid(5), '2026-03-10T08:45:00Z', { priority: { id: 'p3', name: 'P3 Normaal' }, targetDate: Z('2026-03-20T08:30:00Z') }))

  t.test('agreement and each likely reason', async (t) => {
    const a = await melding(`topdesk:${uuid(1)}`)
    t.same([deadline(a, 'reactie').afwijkend, deadline(a, 'functieherstel').afwijkend], [false, false])
    t.same([deadline(a, 'functieherstel').eigen, deadline(a, 'functieherstel').verschil, deadline(a, 'functieherstel').richting], ['2026-03-12T08:30:00Z', 'PT30S', 'bron-later'])
    t.match(deadline(a, 'functieherstel').toelichting, /gelijk \(30 seconden verschil, binnen de marge van een minuut\)/)

    const b = deadline(await melding(`topdesk:${uuid(2)}`), 'functieherstel')
    t.same([b.afwijkend, b.reden, b.verschil, b.richting], [true, 'klok-loopt-altijd', 'PT28H', 'bron-eerder'])

    const c = deadline(await melding(`topdesk:${uuid(3)}`), 'functieherstel')
    t.same([c.bron, c.eigen, c.verschil, c.richting, c.reden], ['2026-03-12T08:30:00Z', '2026-03-12T10:30:00Z', 'PT2H', 'bron-eerder', 'pauze-niet-geteld'])
    t.match(c.toelichting, /2 uur eerder; waarschijnlijk: de bron telt de pauze/)

    const d = deadline(await melding(`topdesk:${uuid(4)}`), 'functieherstel')
    t.same([d.eigen, d.verschil, d.reden], ['2026-04-08T12:00:00Z', 'PT24H', 'feestdag-niet-geteld'], 'a werkdag apart: 24 hours on the clock')

    const e = deadline(await melding(`topdesk:${uuid(5)}`), 'functieherstel')
    t.same([e.bron, e.eigen, e.reden, e.volgensPrioriteit], ['2026-03-17T08:30:00Z', '2026-03-12T08:30:00Z', 'prioriteit-gewijzigd', 3], 'the newest snapshot\'s target, not the late older one\'s')
  })

  t.test('JSM: SLA fields give the deadlines and their norms; the first response cycle gives the reaction', async (t) => {
    const jira = await koppeling(call, contract, 'jira')
    const created = Date.parse('2026-03-10T09:30:00+01:00')
    const fields = {
      summary: 'Koppeling', created: '2026-03-10T09:30:00.000+0100', priority: { id: '2', name: 'High' }, issuetype: { name: '[System] Incident' },
      customfield_10020: {
        id: '1', name: 'Time to first response', _links: {},
        completedCycles: [{ startTime: { epochMillis: created }, stopTime: { epochMillis: Date.parse('2026-03-10T09:10:00Z') }, breachTime: { epochMillis: Date.parse('2026-03-10T09:30:00Z') }, goalDuration: { millis: 3_600_000 }, breached: false }]
      },
      customfield_10021: {
        id: '2', name: 'Time to resolution', _links: {}, completedCycles: [],
        ongoingCycle: { startTime: { epochMillis: created }, breachTime: { epochMillis: Date.parse('2026-03-11T14:30:00Z'), friendly: 'morgen 15:30' }, goalDuration: { millis: 16 * 3_600_000, friendly: '16h' }, paused: false }
      }
    }
    const body = JSON.stringify({ timestamp: created + 60 * 60_000, webhookEvent: 'jira:issue_created', issue: { id: '20001', key: 'ZS-1', fields } })
    t.equal((await deliver(call, jira.id, body, sign.jira(jira.geheim, body, 'jsm-1'))).data.resultaat, 'verwerkt')
    const m = await melding('jira:20001')
    t.same([m.sla.reactie.status, m.sla.reactie.beslistOp], ['behaald', '2026-03-10T09:10:00Z'], 'JSM\'s stopTime is the reaction')
    const f = deadline(m, 'functieherstel')
    t.same([f.bronNorm, f.bron, f.afwijkend, f.reden], ['PT16H', '2026-03-11T14:30:00Z', true, 'andere-norm'])
    t.same([deadline(m, 'reactie').afwijkend, deadline(m, 'reactie').bronNorm], [false, 'PT1H'])
    // The same SLA field in every later message: no second reaction event.
    const again = JSON.stringify({ timestamp: created + 2 * 60 * 60_000, webhookEvent: 'jira:issue_updated', issue: { id: '20001', key: 'ZS-1', fields }, changelog: { id: '1', items: [] } })
    t.equal((await deliver(call, jira.id, again, sign.jira(jira.geheim, again, 'jsm-2'))).data.resultaat, 'verwerkt')
    t.equal((await eventsOf(handle, contract)).filter((e) => e.includes('jira:20001:reactie:jsm')).length, 1)
  })

  t.test('the quarterly report lists the disagreements of its quarter, outside the verdict', async (t) => {
    const r = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q1' } })
    t.equal(r.statusCode, 201)
    const list = r.data.bronAfwijkingen as Array<{ kenmerk: string, klok: string, reden: string | null, richting: string }>
    t.same(list.map((b) => [b.kenmerk, b.klok, b.reden, b.richting]), [
      ['jira:20001', 'functieherstel', 'andere-norm', 'bron-eerder'],
      [`topdesk:${uuid(2)}`, 'functieherstel', 'klok-loopt-altijd', 'bron-eerder'],
      [`topdesk:${uuid(3)}`, 'functieherstel', 'pauze-niet-geteld', 'bron-eerder'],
      [`topdesk:${uuid(5)}`, 'functieherstel', 'prioriteit-gewijzigd', 'bron-later']
    ], 'Q1 only: the Easter melding of April is not in it')
    t.notOk(r.data.samenvatting.some((s: { onderdeel: string }) => /bron/i.test(s.onderdeel)), 'not part of the verdict')
    const csv = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/rapportages/${r.data.id as string}`, headers: { accept: 'text/csv' } })
    t.match(csv.body, /Termijnen volgens de bron/)
    t.match(csv.body, /bron telt de pauze niet/)
  })

  t.test('?afwijkend= lists the disagreements, within the key\'s scope', async (t) => {
    const yes = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=${contract}&afwijkend=true` })
    t.same(yes.data.resultaten.map((m: any) => m.kenmerk).sort(), [`topdesk:${uuid(2)}`, `topdesk:${uuid(3)}`, `topdesk:${uuid(4)}`, `topdesk:${uuid(5)}`, 'jira:20001'].sort())
    t.equal(yes.data.aantal, 5)
    t.same(documented('GET', '/api/v1/meldingen', 200, yes.data), [])
    const paged = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=${contract}&afwijkend=true&pageSize=2&page=3` })
    t.same([paged.data.resultaten.length, paged.data.aantal], [1, 5], 'paged after computing')
    const no = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?afwijkend=false` })
    t.same(no.data.resultaten.map((m: any) => m.kenmerk), [`topdesk:${uuid(1)}`], 'agreeing: only those a tool stated deadlines for')
    const own = await call(keys.leverancier, { method: 'GET', url: '/api/v1/meldingen?afwijkend=true' })
    t.equal(own.data.aantal, 5)
    const other = await call(keys.otherLeverancier, { method: 'GET', url: '/api/v1/meldingen?afwijkend=true' })
    t.same([other.statusCode, other.data.aantal], [200, 0], 'another leverancier sees none')
    const bad = await call(BOOTSTRAP, { method: 'GET', url: '/api/v1/meldingen?afwijkend=ja' })
    t.same([bad.statusCode, bad.data.invalidParams?.[0]?.name], [400, 'afwijkend'])
    // A melding made through the API has no bron block.
    const api = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'api-1', onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '2026-03-10T09:30:00+01:00' } })
    t.equal(api.data.bron, null)
  })
})

t.test('comments, type and omgeving from fields, a default priority', async (t) => {
  const { call, handle } = await build(t)
  const { leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)

  t.test('Jira: a public comment is a voortgang, an internal one is not; a comment before the ticket waits in the inbox', async (t) => {
    const jira = await koppeling(call, contract, 'jira', { vertaling: { omgevingVeld: { veld: 'labels', test: ['acceptatie', 'test'] } } })
    const issue = { id: '30001', key: 'ZS-30', fields: { summary: 'Verzoek', created: '2026-11-30T09:00:00.000+0100', priority: { name: 'Medium' }, issuetype: { name: '[System] Service request' }, labels: ['Acceptatie'] } }
    const comment = (id: string, pub: boolean): string => JSON.stringify({
      timestamp: Date.parse('2026-11-30T10:00:00Z'), webhookEvent: 'comment_created', issue: { id: '30001', key: 'ZS-30', fields: { summary: 'Verzoek' } },
      comment: { id, body: 'We kijken ernaar', created: '2026-11-30T11:00:00.000+0100', jsdPublic: pub }
    })
    const early = comment('c1', true)
    const r = await deliver(call, jira.id, early, sign.jira(jira.geheim, early, 'c1'))
    t.same([r.data.resultaat, /has no melding yet/.test(r.data.reden)], ['fout', true])
    const created = JSON.stringify({ timestamp: Date.parse('2026-11-30T08:00:01Z'), webhookEvent: 'jira:issue_created', issue })
    await deliver(call, jira.id, created, sign.jira(jira.geheim, created, 'created'))
    t.same(await meldingenOf(handle, contract), ['jira:30001 ZS-30: Verzoek 2026-11-30T08:00:00.000Z 3 opdracht test'], 'issuetype → opdracht, label Acceptatie → test')
    const again = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${jira.id}/berichten/${r.data.id as string}/herverwerken` })
    t.equal(again.data.resultaat, 'verwerkt')
    const internal = comment('c2', false)
    t.equal((await deliver(call, jira.id, internal, sign.jira(jira.geheim, internal, 'c2'))).data.resultaat, 'verwerkt')
    t.same((await eventsOf(handle, contract)).filter((e) => e.includes('comment')), ['jira:30001 jira:comment:c1 voortgang 2026-11-30T10:00:00.000Z   '])
    const m = (await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=${contract}` })).data.resultaten[0]
    t.same([m.omgeving, m.prioriteit], ['test', 4], 'test environment: prio 4 (R-PRI-4)')
  })

  t.test('Zendesk: a ticket without priority fails until standaardPrioriteit is set; public staff comments are voortgang', async (t) => {
    const zd = await koppeling(call, contract, 'zendesk')
    const msg = (id: string, type: string, event: object = {}): string => JSON.stringify({
      type: `zen:event-type:ticket.${type}`, id, time: '2026-11-30T09:00:00Z', subject: 'zen:ticket:888',
      detail: { id: '888', created_at: '2026-11-30T08:00:00Z', subject: 'Vraag', type: 'QUESTION', status: 'OPEN', priority: null }, event
    })
    const first = msg('e1', 'created')
    const r = await deliver(call, zd.id, first, sign.zendesk(zd.geheim, first))
    t.same([r.data.resultaat, r.data.reden], ['fout', 'the ticket has no priority: set vertaling.standaardPrioriteit to give such tickets one'])
    const p = await call(BOOTSTRAP, { method: 'PATCH', url: `/api/v1/koppelingen/${zd.id}`, payload: { vertaling: { standaardPrioriteit: 3 } } })
    t.equal(p.statusCode, 200)
    const again = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${zd.id}/berichten/herverwerken` })
    t.same(again.data.resultaten.map((x: any) => x.resultaat), ['verwerkt'])
    t.same((await meldingenOf(handle, contract)).filter((m) => m.startsWith('zendesk')), ['zendesk:888 #888: Vraag 2026-11-30T08:00:00.000Z 3 vraag productie'], 'type QUESTION → vraag')
    const pub = msg('e2', 'comment_added', { comment: { id: 'k1', body: 'Opgepakt', is_public: true, author: { id: 1, is_staff: true } } })
    const priv = msg('e3', 'comment_added', { comment: { id: 'k2', body: 'intern', is_public: false, author: { id: 1, is_staff: true } } })
    const customer = msg('e4', 'comment_added', { comment: { id: 'k3', body: 'nog steeds stuk', is_public: true, author: { id: 2, is_staff: false } } })
    for (const b of [pub, priv, customer]) t.equal((await deliver(call, zd.id, b, sign.zendesk(zd.geheim, b))).data.resultaat, 'verwerkt')
    t.same((await eventsOf(handle, contract)).filter((e) => e.startsWith('zendesk') && e.includes('voortgang')), ['zendesk:888 zendesk:comment:k1 voortgang 2026-11-30T09:00:00.000Z   '])
  })
})
