import fc from 'fast-check'
import t from 'tap'
import { sql } from 'kysely'
import { BOOTSTRAP, build, standardContract, TEST_NOW, withKeys } from '../helpers/app.js'
import { documentedResponses } from '../helpers/openapi.js'
import { count, deliver, eventsOf, json, koppeling, meldingenOf, sign } from '../helpers/koppelingen.js'

/**
 * Koppelingen (issue 12): the resource, the signed inbound endpoint, the inbox, and the
 * translation of each tool's messages into meldingen and events. Payloads are written from the
 * shapes documented in ../shared/spec/INTEGRATIONS.md (vendor docs), not from a real tenant.
 */

// ---- Jira: a ticket life (INTEGRATIONS.md §2) -------------------------------------------------

const jiraIssue = (fields: object = {}): object => ({
  id: '10042', key: 'ZS-1287',
  fields: { summary: 'Zaaksysteem traag', created: '2026-11-30T10:15:00.000+0100', priority: { id: '2', name: 'High' }, status: { id: '1', name: 'Open' }, ...fields }
})
const jiraUpdate = (changelogId: string, at: string, items: object[]): string => JSON.stringify({
  timestamp: Date.parse(at), webhookEvent: 'jira:issue_updated', issue_event_type_name: 'issue_generic', user: { displayName: 'Agent' },
  issue: jiraIssue(), changelog: { id: changelogId, items }
})
const JIRA_LIFE: Array<{ id: string, body: string }> = [
  { id: 'd-created', body: JSON.stringify({ timestamp: Date.parse('2026-11-30T10:15:01+01:00'), webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', issue: jiraIssue() }) },
  { id: 'd-5001', body: jiraUpdate('5001', '2026-11-30T10:45:00+01:00', [{ field: 'status', fieldtype: 'jira', from: '1', fromString: 'Open', to: '3', toString: 'In Progress' }]) },
  {
    id: 'd-5002',
    body: jiraUpdate('5002', '2026-11-30T11:30:00+01:00', [
      { field: 'priority', fieldtype: 'jira', from: '2', fromString: 'High', to: '1', toString: 'Highest' },
      { field: 'status', fieldtype: 'jira', from: '3', fromString: 'In Progress', to: '10010', toString: 'Waiting for customer' }
    ])
  },
  { id: 'd-5003', body: jiraUpdate('5003', '2026-11-30T13:00:00+01:00', [{ field: 'status', fieldtype: 'jira', from: '10010', fromString: 'Waiting for customer', to: '3', toString: 'In Progress' }]) },
  {
    id: 'd-5004',
    body: jiraUpdate('5004', '2026-11-30T15:00:00+01:00', [
      { field: 'resolution', fieldtype: 'jira', from: null, fromString: null, to: '10000', toString: 'Done' },
      { field: 'status', fieldtype: 'jira', from: '3', fromString: 'In Progress', to: '5', toString: 'Resolved' }
    ])
  }
]

// ---- Zendesk: event-subscription webhooks with the ticket as `detail` (§3) -----------------------

const zendesk = (eventId: string, type: string, time: string, detail: object, event: object = {}): string => JSON.stringify({
  type: `zen:event-type:ticket.${type}`, account_id: 9001, id: eventId, time, zendesk_event_version: '2022-11-06', subject: 'zen:ticket:777',
  detail: { id: '777', created_at: '2026-11-30T08:00:00Z', updated_at: time, subject: 'Koppeling BRP faalt', type: 'INCIDENT', status: 'NEW', priority: 'HIGH', ...detail },
  event
})
const ZENDESK_LIFE = [
  zendesk('z1', 'created', '2026-11-30T08:00:00.123456789Z', {}),
  zendesk('z2', 'status_changed', '2026-11-30T08:30:00Z', { status: 'OPEN' }, { previous: 'NEW', current: 'OPEN' }),
  zendesk('z3', 'status_changed', '2026-11-30T09:00:00Z', { status: 'PENDING' }, { previous: 'OPEN', current: 'PENDING' }),
  zendesk('z4', 'status_changed', '2026-11-30T10:00:00Z', { status: 'OPEN' }, { previous: 'PENDING', current: 'OPEN' }),
  zendesk('z5', 'priority_changed', '2026-11-30T10:30:00Z', { status: 'OPEN', priority: 'URGENT' }, { previous: 'HIGH', current: 'URGENT' }),
  zendesk('z6', 'status_changed', '2026-11-30T11:00:00Z', { status: 'HOLD', priority: 'URGENT' }, { previous: 'OPEN', current: 'HOLD' }),
  zendesk('z7', 'status_changed', '2026-11-30T12:00:00Z', { status: 'SOLVED', priority: 'URGENT' }, { previous: 'HOLD', current: 'SOLVED' })
]

// ---- TOPdesk: the incident as GET /tas/api/incidents/id/{id} returns it (§1) ----------------------

const TOPDESK_ID = '6b0e2a8e-6f7a-4c2e-9d1b-2f3a4b5c6d7e'
const topdesk = (mod: string, fields: object, wrap = false): string => {
  const incident = {
    id: TOPDESK_ID, number: 'M2611 0457', briefDescription: 'Printen faalt', callDate: '2026-11-30T08:00:00.000+0000',
    creationDate: '2026-11-30T08:01:00.000+0000', modificationDate: mod, priority: { id: 'b1c2', name: 'P2 Hoog' },
    responded: false, responseDate: null, onHold: false, onHoldDate: null, completed: false, completedDate: null, closed: false, closedDate: null, ...fields
  }
  return JSON.stringify(wrap ? { source: 'topdesk', eventType: 'incident.changed', triggeredAt: mod, incident } : incident)
}
const responded = { responded: true, responseDate: '2026-11-30T08:30:00.000+0000' }
const TOPDESK_LIFE = {
  s1: topdesk('2026-11-30T08:00:00.000+0000', {}),
  s2: topdesk('2026-11-30T08:30:00.000+0000', responded),
  s3: topdesk('2026-11-30T09:00:00.000+0000', { ...responded, onHold: true, onHoldDate: '2026-11-30T09:00:00.000+0000' }, true),
  s4: topdesk('2026-11-30T10:15:00.000+0000', { ...responded, priority: { id: 'a1b2', name: 'P1 Zeer hoog' } }),
  s5: topdesk('2026-11-30T11:00:00.000+0000', { ...responded, priority: { id: 'a1b2', name: 'P1 Zeer hoog' }, completed: true, completedDate: '2026-11-30T11:00:00.000+0000' }),
  s6: topdesk('2026-11-30T12:00:00.000+0000', {
    ...responded, priority: { id: 'a1b2', name: 'P1 Zeer hoog' }, completed: true, completedDate: '2026-11-30T11:00:00.000+0000', closed: true, closedDate: '2026-11-30T12:00:00.000+0000'
  })
}

t.test('koppelingen', async (t) => {
  const { app, handle, call } = await build(t)
  const { leverancierId, otherLeverancierId, keys } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const otherContract = await standardContract(call, otherLeverancierId)
  const documented = documentedResponses(app)

  t.test('a koppeling: secret answered once and stored encrypted, translation defaults per bron', async (t) => {
    const r = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'jira', naam: 'Acme Jira' } })
    t.equal(r.statusCode, 201)
    t.match(r.data.geheim, /^[A-Za-z0-9_-]{43}$/, 'made: 32 random bytes, base64url')
    t.equal(r.data.berichtenUrl, `https://localhost/api/v1/koppelingen/${r.data.id as string}/berichten`)
    t.same(r.data.vertaling.statussen.pauze, ['Waiting for customer', 'Pending'])
    t.same(r.data.vertaling.prioriteiten.find((p: any) => p.waarde === 'Highest'), { waarde: 'Highest', prioriteit: 1 })
    t.equal(r.headers.location, `/api/v1/koppelingen/${r.data.id as string}`)
    t.same(documented('POST', '/api/v1/koppelingen', 201, r.data), [], 'as documented')
    const again = await call(keys.lezer, { method: 'GET', url: `/api/v1/koppelingen/${r.data.id as string}` })
    t.equal(again.statusCode, 200)
    t.notOk('geheim' in again.data, 'never shown again')
    const row = await handle.db.selectFrom('koppeling').selectAll().where('id', '=', r.data.id).executeTakeFirstOrThrow()
    t.notOk(Buffer.from(row.geheim_versleuteld).includes(Buffer.from(r.data.geheim)), 'the stored form does not hold the secret')
    t.equal(row.geheim_versleuteld.length, 12 + 16 + 43, 'nonce, tag, ciphertext')

    const z = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'zendesk', naam: 'Z', geheim: 'a-given-secret-of-24-chars!' } })
    t.equal(z.data.geheim, 'a-given-secret-of-24-chars!')
    t.same(z.data.vertaling.statussen.nietPauzerend, ['hold'], 'Zendesk hold does not pause by default')
    const td = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'topdesk', naam: 'T' } })
    t.equal(td.data.vertaling.prioriteitUitNaam, true)
  })

  t.test('bad input is a 400 naming the field, nothing stored', async (t) => {
    const before = Number((await sql<{ n: string }>`select count(*) as n from koppeling`.execute(handle.db)).rows[0]?.n)
    const cases: Array<[object, string]> = [
      [{ contract, bron: 'jira', naam: 'x', geheim: 'short' }, 'geheim'],
      [{ contract, bron: 'servicenow', naam: 'x' }, 'bron'],
      [{ contract, bron: 'jira', naam: 'x', vertaling: { prioriteiten: [{ waarde: 'Blocker', prioriteit: 5 }] } }, 'vertaling.prioriteiten[0].prioriteit'],
      [{ contract, bron: 'jira', naam: 'x', vertaling: { pauzeStatus: 'gesloten' } }, 'vertaling.pauzeStatus'],
      [{ contract: '00000000-0000-4000-8000-000000000000', bron: 'jira', naam: 'x' }, 'contract']
    ]
    for (const [payload, field] of cases) {
      const r = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload })
      t.equal(r.statusCode, 400, field)
      t.ok(r.data.invalidParams.some((p: any) => p.name === field), `names ${field}: ${JSON.stringify(r.data.invalidParams)}`)
    }
    const after = Number((await sql<{ n: string }>`select count(*) as n from koppeling`.execute(handle.db)).rows[0]?.n)
    t.equal(after, before)
  })

  t.test('a leverancier key only for its own contracts; lezer reads; monitor nothing', async (t) => {
    const own = await call(keys.leverancier, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'zendesk', naam: 'eigen' } })
    t.equal(own.statusCode, 201)
    const foreign = await call(keys.leverancier, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract: otherContract, bron: 'zendesk', naam: 'vreemd' } })
    t.equal(foreign.statusCode, 400)
    t.equal((await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/koppelingen/${own.data.id as string}` })).statusCode, 404)
    t.equal((await call(keys.otherLeverancier, { method: 'PATCH', url: `/api/v1/koppelingen/${own.data.id as string}`, payload: { naam: 'overgenomen' } })).statusCode, 404)
    t.equal((await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/koppelingen/${own.data.id as string}/berichten` })).statusCode, 404)
    const list = await call(keys.otherLeverancier, { method: 'GET', url: '/api/v1/koppelingen' })
    t.equal(list.data.aantal, 0, 'another leverancier sees none of them')
    t.equal((await call(keys.lezer, { method: 'GET', url: '/api/v1/koppelingen' })).statusCode, 200)
    t.equal((await call(keys.lezer, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'jira', naam: 'x' } })).statusCode, 403)
    t.equal((await call(keys.monitor, { method: 'GET', url: '/api/v1/koppelingen' })).statusCode, 403)
  })

  t.test('PATCH adds a dated version of the translation; the old one stays readable', async (t) => {
    const k = await koppeling(call, contract, 'jira')
    const r = await call(BOOTSTRAP, { method: 'PATCH', url: `/api/v1/koppelingen/${k.id}`, payload: { vertaling: { statussen: { pauze: ['Wachten op gemeente'] } } } })
    t.equal(r.statusCode, 200)
    t.equal(r.data.versies.length, 2)
    t.same(r.data.versies[0].vertaling.statussen.pauze, ['Waiting for customer', 'Pending'], 'version 1 as it was')
    t.same(r.data.vertaling.statussen.pauze, ['Wachten op gemeente'])
    t.same(r.data.vertaling.statussen.opgelost, ['Resolved'], 'what was not given is kept')
    t.ok(Date.parse(r.data.versies[1].geldigVanaf) > Date.parse(r.data.versies[0].geldigVanaf), 'dated after the first')
    await t.rejects(sql`update koppeling_vertaling set versie = versie`.execute(handle.db), 'versions never change')
  })

  t.test('without SLA_GEHEIMEN_SLEUTEL no koppeling is made: 503 saying so', async (t) => {
    const bare = await build(t, { handle, geheimenSleutel: null })
    const r = await bare.call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron: 'jira', naam: 'x' } })
    t.equal(r.statusCode, 503)
    t.match(r.data.detail, /SLA_GEHEIMEN_SLEUTEL/)
  })

  t.test('bad or missing signatures: 401 problem+json and nothing stored', async (t) => {
    const jira = await koppeling(call, contract, 'jira')
    const zen = await koppeling(call, contract, 'zendesk')
    const top = await koppeling(call, contract, 'topdesk')
    const before = await count(handle, 'bericht')
    const body = JIRA_LIFE[0]?.body as string
    const cases: Array<[string, string, Record<string, string>, string]> = [
      ['jira: no signature', jira.id, json, body],
      ['jira: signed with another secret', jira.id, sign.jira('another-secret-of-enough-length', body, 'x1'), body],
      ['jira: body changed after signing', jira.id, sign.jira(jira.geheim, body, 'x2'), body.replace('High', 'Highest')],
      ['jira: not hex', jira.id, { ...json, 'x-hub-signature': 'sha256=zz' }, body],
      ['zendesk: wrong secret', zen.id, sign.zendesk('another-secret-of-enough-length', ZENDESK_LIFE[0] as string), ZENDESK_LIFE[0] as string],
      ['zendesk: timestamp not signed along', zen.id, { ...sign.zendesk(zen.geheim, ZENDESK_LIFE[0] as string), 'x-zendesk-webhook-signature-timestamp': new Date(TEST_NOW - 1000).toISOString() }, ZENDESK_LIFE[0] as string],
      ['zendesk: replayed, 6 minutes old', zen.id, sign.zendesk(zen.geheim, ZENDESK_LIFE[0] as string, new Date(TEST_NOW - 6 * 60_000).toISOString()), ZENDESK_LIFE[0] as string],
      ['zendesk: 6 minutes ahead', zen.id, sign.zendesk(zen.geheim, ZENDESK_LIFE[0] as string, new Date(TEST_NOW + 6 * 60_000).toISOString()), ZENDESK_LIFE[0] as string],
      ['topdesk: wrong bearer', top.id, sign.topdesk(`${top.geheim}x`), TOPDESK_LIFE.s1],
      ['topdesk: no authorization', top.id, json, TOPDESK_LIFE.s1],
      ['topdesk: an API key is no koppeling secret', top.id, sign.topdesk(BOOTSTRAP), TOPDESK_LIFE.s1],
      ['unknown koppeling', '00000000-0000-4000-8000-000000000000', sign.topdesk(top.geheim), TOPDESK_LIFE.s1]
    ]
    for (const [name, id, headers, payload] of cases) {
      const r = await deliver(call, id, payload, headers)
      t.equal(r.statusCode, 401, name)
      t.equal(r.data?.status, 401, `${name}: problem+json`)
      t.same(documented('POST', `/api/v1/koppelingen/${id}/berichten`, 401, r.data, String(r.headers['content-type'])), [], `${name}: as documented`)
    }
    t.equal(await count(handle, 'bericht'), before, 'nothing stored')
    const ok = await deliver(call, zen.id, ZENDESK_LIFE[0] as string, sign.zendesk(zen.geheim, ZENDESK_LIFE[0] as string, new Date(TEST_NOW - 4 * 60_000).toISOString()))
    t.equal(ok.statusCode, 200, 'a timestamp 4 minutes old is inside the window')
  })

  t.test('Jira: a ticket life becomes one melding with its events, each linked to its message', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'jira')
    for (const d of JIRA_LIFE) {
      const r = await deliver(call, k.id, d.body, sign.jira(k.geheim, d.body, d.id))
      t.same([r.statusCode, r.data.resultaat, r.data.reden], [200, 'verwerkt', null], d.id)
      t.same(documented('POST', `/api/v1/koppelingen/${k.id}/berichten`, 200, r.data), [])
    }
    t.same(await meldingenOf(handle, c), ['jira:10042 ZS-1287: Zaaksysteem traag 2026-11-30T09:15:00.000Z 2 verstoring productie'], 'gemeldOp from fields.created, not the arrival')
    t.same(await eventsOf(handle, c), [
      'jira:10042 jira:5001:reactie reactie 2026-11-30T09:45:00.000Z   ',
      'jira:10042 jira:5001:status:in-behandeling status 2026-11-30T09:45:00.000Z in-behandeling  ',
      'jira:10042 jira:5002:prioriteit prioriteit 2026-11-30T10:30:00.000Z  1 ',
      'jira:10042 jira:5002:status:wachten-op-klant status 2026-11-30T10:30:00.000Z wachten-op-klant  ',
      'jira:10042 jira:5003:status:in-behandeling status 2026-11-30T12:00:00.000Z in-behandeling  ',
      'jira:10042 jira:5004:status:opgelost status 2026-11-30T14:00:00.000Z opgelost  '
    ], 'two changelog items give two events; status and resolution in one message one opgelost')
    const linked = await handle.db.selectFrom('gebeurtenis').innerJoin('bericht', 'bericht.id', 'gebeurtenis.bericht_id')
      .select(['gebeurtenis.kenmerk', 'bericht.levering']).where('gebeurtenis.kenmerk', 'like', 'jira:5002:%').execute()
    t.same(linked.map((l) => l.levering), ['d-5002', 'd-5002'], 'each event names the delivery it came from')
    const m = await handle.db.selectFrom('melding').select('id').where('contract_id', '=', c).executeTakeFirstOrThrow()
    const view = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${m.id}` })
    t.match(view.data, { status: 'opgelost', prioriteit: 1 })
    const listed = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${m.id}/gebeurtenissen` })
    const inbox = await call(keys.leverancier, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/berichten` })
    const byLevering = new Map(inbox.data.resultaten.map((b: any) => [b.id, b.levering]))
    t.same(listed.data.resultaten.map((e: any) => byLevering.get(e.bericht)).sort(), ['d-5001', 'd-5001', 'd-5002', 'd-5002', 'd-5003', 'd-5004'], 'the API names each event\'s message')
    t.equal(listed.data.resultaten[0].sleutel, null, 'no key sent it')
    for (const [url, r] of [[`/meldingen/${m.id}/gebeurtenissen`, listed], [`/koppelingen/${k.id}/berichten`, inbox]] as const) {
      t.same(documented('GET', `/api/v1${url}`, r.statusCode, r.data), [], `${url} as documented`)
    }

    t.test('a repeated delivery is stored as dubbel and makes no second melding or event', async (t) => {
      const events = await count(handle, 'gebeurtenis')
      const d = JIRA_LIFE[2] as { id: string, body: string }
      const r = await deliver(call, k.id, d.body, { ...sign.jira(k.geheim, d.body, d.id), 'x-atlassian-webhook-retry': '1' })
      t.same([r.statusCode, r.data.resultaat], [200, 'dubbel'])
      t.equal(await count(handle, 'gebeurtenis'), events)
      t.equal((await meldingenOf(handle, c)).length, 1)
      const inbox = await call(keys.leverancier, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/berichten?resultaat=dubbel` })
      t.equal(inbox.data.aantal, 1)
      t.match(inbox.data.resultaten[0], { levering: 'd-5002', resultaat: 'dubbel', inhoud: d.body, headers: { 'x-atlassian-webhook-retry': '1', 'x-atlassian-webhook-identifier': 'd-5002' } })
      t.notOk('authorization' in inbox.data.resultaten[0].headers)
    })
  })

  t.test('Zendesk: snapshots compared with the last one seen; hold does not pause; a skipped delivery still counts', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'zendesk')
    // z3 (PENDING) and z4 (back to OPEN) are lost: z5 still yields the priority change, z6 compares with z2.
    for (const body of [ZENDESK_LIFE[0], ZENDESK_LIFE[1], ZENDESK_LIFE[4], ZENDESK_LIFE[5], ZENDESK_LIFE[6]] as string[]) {
      const r = await deliver(call, k.id, body, sign.zendesk(k.geheim, body))
      t.same([r.statusCode, r.data.resultaat], [200, 'verwerkt'])
    }
    t.same(await meldingenOf(handle, c), ['zendesk:777 #777: Koppeling BRP faalt 2026-11-30T08:00:00.000Z 2 verstoring productie'])
    t.same(await eventsOf(handle, c), [
      'zendesk:777 zendesk:z2:reactie reactie 2026-11-30T08:30:00.000Z   ',
      'zendesk:777 zendesk:z2:status:in-behandeling status 2026-11-30T08:30:00.000Z in-behandeling  ',
      'zendesk:777 zendesk:z5:prioriteit prioriteit 2026-11-30T10:30:00.000Z  1 ',
      'zendesk:777 zendesk:z6:status:in-behandeling status 2026-11-30T11:00:00.000Z in-behandeling  ',
      'zendesk:777 zendesk:z7:status:opgelost status 2026-11-30T12:00:00.000Z opgelost  '
    ], 'HOLD is a wait on a third party: in-behandeling, not a pause')
    // The lost PENDING arrives after all: its own change at its own time, and (since z5 shows the
    // ticket OPEN at 10:30 and z4 is still missing) the return to open just before z5.
    const late = ZENDESK_LIFE[2] as string
    const r = await deliver(call, k.id, late, sign.zendesk(k.geheim, late))
    t.same([r.data.resultaat, r.data.reden], ['verwerkt', null])
    const after = await eventsOf(handle, c)
    t.same(after.filter((e) => e.includes('z3') || e.includes('tussen')), [
      'zendesk:777 zendesk:z3:status:wachten-op-klant status 2026-11-30T09:00:00.000Z wachten-op-klant  ',
      'zendesk:777 zendesk:z5:tussen:status:in-behandeling status 2026-11-30T10:29:59.999Z in-behandeling  '
    ], 'the late PENDING pauses from its own time, and the unseen resume is dated just before the message that shows it')
    // z4 arrives too: its own resume at 10:00; the pause is now exactly 09:00–10:00.
    const z4 = ZENDESK_LIFE[3] as string
    t.equal((await deliver(call, k.id, z4, sign.zendesk(k.geheim, z4))).data.resultaat, 'verwerkt')
    const m = (await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=${c}` })).data.resultaten[0]
    const segments = (await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen/${m.id as string}?uitleg=true` })).data.uitleg.functieherstel.segmenten as Array<{ van: string, tot: string, loopt: boolean }>
    t.same(segments.filter((x) => !x.loopt && x.van < '2026-11-30T11:00:00Z').map((x) => [x.van, x.tot]), [['2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z']])
  })

  t.test('Zendesk: a pending wait pauses, the event id is the delivery id', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'zendesk')
    for (const body of ZENDESK_LIFE.slice(0, 4)) await deliver(call, k.id, body, sign.zendesk(k.geheim, body))
    const again = await deliver(call, k.id, ZENDESK_LIFE[2] as string, sign.zendesk(k.geheim, ZENDESK_LIFE[2] as string))
    t.equal(again.data.resultaat, 'dubbel', 'the same event id again')
    const ev = await eventsOf(handle, c)
    t.ok(ev.includes('zendesk:777 zendesk:z3:status:wachten-op-klant status 2026-11-30T09:00:00.000Z wachten-op-klant  '))
    t.ok(ev.includes('zendesk:777 zendesk:z4:status:in-behandeling status 2026-11-30T10:00:00.000Z in-behandeling  '), 'back to open resumes')
    t.notOk(ev.some((e) => e.includes('z4:reactie')), 'a resume is no second reaction')
  })

  t.test('TOPdesk: snapshots with dated facts; a skipped push still yields its reaction; older after newer changes nothing', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'topdesk')
    for (const body of [TOPDESK_LIFE.s1, TOPDESK_LIFE.s3, TOPDESK_LIFE.s4, TOPDESK_LIFE.s5, TOPDESK_LIFE.s6]) {
      const r = await deliver(call, k.id, body, sign.topdesk(k.geheim))
      t.same([r.statusCode, r.data.resultaat], [200, 'verwerkt'])
    }
    const id = `topdesk:${TOPDESK_ID}`
    t.same(await meldingenOf(handle, c), [`${id} M2611 0457: Printen faalt 2026-11-30T08:00:00.000Z 2 verstoring productie`], 'gemeldOp from callDate; P2 read from the name')
    const expected = [
      `${id} ${id}:gesloten:2026-11-30T12:00:00.000Z status 2026-11-30T12:00:00.000Z gesloten  oplossing-geaccepteerd`,
      `${id} ${id}:hervat:2026-11-30T09:00:00.000Z status 2026-11-30T10:15:00.000Z in-behandeling  `,
      `${id} ${id}:opgelost:2026-11-30T11:00:00.000Z status 2026-11-30T11:00:00.000Z opgelost  `,
      `${id} ${id}:prioriteit:2026-11-30T10:15:00.000Z prioriteit 2026-11-30T10:15:00.000Z  1 `,
      `${id} ${id}:reactie:2026-11-30T08:30:00.000Z reactie 2026-11-30T08:30:00.000Z   `,
      `${id} ${id}:wacht:2026-11-30T09:00:00.000Z status 2026-11-30T09:00:00.000Z wachten-op-klant  `
    ]
    t.same(await eventsOf(handle, c), expected, 'the resume at the snapshot\'s modificationDate (TOPdesk keeps no resume time)')
    const r = await deliver(call, k.id, TOPDESK_LIFE.s2, sign.topdesk(k.geheim))
    t.same([r.data.resultaat, r.data.reden], ['verwerkt', 'older than the newest snapshot processed: only its responseDate and deadlines were read'])
    t.same(await eventsOf(handle, c), expected, 'nothing changed')
    const dup = await deliver(call, k.id, TOPDESK_LIFE.s4, sign.topdesk(k.geheim))
    t.equal(dup.data.resultaat, 'dubbel', 'incident id + modificationDate identify a push')
  })

  t.test('an unknown priority ends in the inbox as fout; after the mapping is fixed, herverwerken processes it once', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'jira')
    const body = JSON.stringify({ timestamp: Date.parse('2026-11-30T10:00:00Z'), webhookEvent: 'jira:issue_created', issue: { id: '20001', key: 'ZS-2', fields: { summary: 'Blokkade', created: '2026-11-30T10:00:00.000+0000', priority: { id: '10100', name: 'Blocker' } } } })
    const r = await deliver(call, k.id, body, sign.jira(k.geheim, body, 'b-1'))
    t.same([r.statusCode, r.data.resultaat], [200, 'fout'])
    t.match(r.data.reden, /unknown priority Blocker \(id 10100\)/)
    t.equal((await meldingenOf(handle, c)).length, 0)
    const failed = await call(keys.leverancier, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/berichten?resultaat=fout` })
    t.equal(failed.data.aantal, 1)
    const berichtId = failed.data.resultaten[0].id as string

    const current = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}` })
    const patched = await call(keys.leverancier, { method: 'PATCH', url: `/api/v1/koppelingen/${k.id}`, payload: { vertaling: { prioriteiten: [...current.data.vertaling.prioriteiten, { waarde: 'blocker', prioriteit: 1 }] } } })
    t.equal(patched.statusCode, 200)
    const again = await call(keys.leverancier, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/${berichtId}/herverwerken` })
    t.same([again.statusCode, again.data.resultaat, again.data.reden], [200, 'verwerkt', null])
    t.same(await meldingenOf(handle, c), ['jira:20001 ZS-2: Blokkade 2026-11-30T10:00:00.000Z 1 verstoring productie'])
    const twice = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/${berichtId}/herverwerken` })
    t.equal(twice.data.resultaat, 'verwerkt', 'a processed message is answered as it is')
    const all = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/herverwerken` })
    t.equal(all.data.aantal, 0, 'no failed ones left')
    t.equal((await meldingenOf(handle, c)).length, 1)
    t.equal((await call(keys.lezer, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/${berichtId}/herverwerken` })).statusCode, 403)
  })

  t.test('odd values from a tool end as fout in the inbox, never as a 500', async (t) => {
    const c = await standardContract(call, leverancierId)
    const k = await koppeling(call, c, 'jira')
    const issue = (fields: object = {}): object => ({ id: '40001', key: 'ZS-4', fields: { summary: 'x', created: '2026-11-30T10:00:00.000+0100', priority: { name: 'High' }, ...fields } })
    const cases: Array<[string, object, RegExp]> = [
      ['a changelog id too long to keep', { timestamp: Date.parse('2026-11-30T10:00:00Z'), webhookEvent: 'jira:issue_updated', issue: issue(), changelog: { id: '9'.repeat(300), items: [{ field: 'status', toString: 'Resolved' }] } }, /too long to keep/],
      ['an unknown priority with a huge name', { timestamp: 1, webhookEvent: 'jira:issue_created', issue: issue({ priority: { name: `P${'🙂'.repeat(3000)}` } }) }, /unknown priority/],
      ['a timestamp before 1970', { timestamp: -1e15, webhookEvent: 'jira:issue_created', issue: issue() }, /timestamp/],
      ['a created date without offset', { timestamp: 1, webhookEvent: 'jira:issue_created', issue: issue({ created: '2026-11-30T10:00:00.000' }) }, /created/],
      ['no issue', { timestamp: 1, webhookEvent: 'jira:issue_created' }, /issue\.id/],
      ['not an object', [1, 2, 3], /issue\.id|JSON object/]
    ]
    for (const [name, payload, reason] of cases) {
      const body = JSON.stringify(payload)
      const r = await deliver(call, k.id, body, sign.jira(k.geheim, body, `odd-${name}`))
      t.same([r.statusCode, r.data.resultaat], [200, 'fout'], name)
      t.match(r.data.reden, reason, name)
      t.ok(r.data.reden.length <= 4000, `${name}: the reason fits`)
    }
    const long = JSON.stringify({ timestamp: 1, webhookEvent: 'jira:issue_created', issue: issue() })
    const r = await deliver(call, k.id, long, sign.jira(k.geheim, long, 'x'.repeat(1000)))
    t.equal(r.statusCode, 200, 'a delivery id longer than the inbox keeps is stored as its hash')
    const stored = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}/berichten?resultaat=verwerkt` })
    t.match(stored.data.resultaten[0].levering, /^sha256:[0-9a-f]{64}$/)
  })

  t.test('random bodies: unsigned ones are a 401 and store nothing; signed ones are stored with an outcome, never a 5xx', async (t) => {
    const known = ['id', 'key', 'fields', 'issue', 'changelog', 'items', 'field', 'from', 'to', 'fromString', 'toString', 'timestamp', 'webhookEvent',
      'created', 'priority', 'name', 'summary', 'detail', 'status', 'time', 'created_at', 'subject', 'event', 'previous', 'current', 'incident',
      'callDate', 'modificationDate', 'responded', 'responseDate', 'onHold', 'onHoldDate', 'completed', 'completedDate', 'closed', 'closedDate', 'number']
    const leaf = fc.oneof(
      fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 1 }),
      fc.constantFrom('jira:issue_created', 'jira:issue_updated', '2026-11-30T10:00:00.000+0100', '2026-11-30T10:00:00Z', 'High', 'Highest', 'P1 Zeer hoog',
        'open', 'pending', 'hold', 'solved', 'In Progress', 'Resolved', true, false, null, 1796029201000, '10042')
    )
    const { node } = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(fc.constantFrom(...known), tie('node'), { maxKeys: 6 }), fc.array(tie('node'), { maxLength: 3 }))
    }))
    const body = fc.dictionary(fc.constantFrom(...known), node, { maxKeys: 8 }).map((b) => JSON.stringify(b))
    const c = await standardContract(call, leverancierId)
    for (const bron of ['jira', 'zendesk', 'topdesk'] as const) {
      const k = await koppeling(call, c, bron)
      const signed = (b: string, i: number): Record<string, string> => bron === 'jira' ? sign.jira(k.geheim, b, `rnd-${i}`) : bron === 'zendesk' ? sign.zendesk(k.geheim, b) : sign.topdesk(k.geheim)
      let i = 0
      let outcomes = 0
      await fc.assert(fc.asyncProperty(body, async (b) => {
        i++
        const before = await count(handle, 'bericht')
        const bad = await deliver(call, k.id, b, bron === 'topdesk' ? sign.topdesk(`${k.geheim}!`) : bron === 'jira' ? sign.jira('not-the-secret-not-the-secret', b, `rnd-${i}`) : sign.zendesk('not-the-secret-not-the-secret', b))
        if (bad.statusCode !== 401 || await count(handle, 'bericht') !== before) throw new Error(`unsigned: ${bad.statusCode} ${JSON.stringify(bad.data)}`)
        const r = await deliver(call, k.id, b, signed(b, i))
        if (r.statusCode === 400 && b.includes('\\u0000')) return
        if (r.statusCode !== 200 || !['verwerkt', 'dubbel', 'fout'].includes(r.data.resultaat)) throw new Error(`signed: ${r.statusCode} ${JSON.stringify(r.data)} for ${b}`)
        outcomes++
      }), { numRuns: 40, seed: 20261130 })
      t.ok(outcomes >= 35, `${bron}: ${outcomes} random signed bodies stored with an outcome`)
    }
  })

  t.test('the inbox is append-only', async (t) => {
    await t.rejects(sql`delete from bericht`.execute(handle.db), /never/)
    await t.rejects(sql`delete from koppeling`.execute(handle.db), /never/)
  })

  t.test('the raw body is kept; strict text still applies to the webhook', async (t) => {
    const k = await koppeling(call, contract, 'topdesk')
    const r = await deliver(call, k.id, '{"id":"x\\u0000"}', sign.topdesk(k.geheim))
    t.equal(r.statusCode, 400, 'a NUL cannot be stored: refused before anything else')
    t.ok(app.hasRoute({ method: 'POST', url: '/api/v1/koppelingen/:id/berichten' }))
  })
})
