// Text that JSON can carry but PostgreSQL cannot store as sent (issue 10 item 4, issue 11 item 4):
// NUL, unpaired surrogates and bytes that are not UTF-8 are refused with a 400 naming the field, in
// any body, query or path, and nothing is written; any other text, astral and combining characters
// included, is stored exactly, so that a repeated request is answered 200 (idempotent), not 409.
import t, { type Test } from 'tap'
import { sql } from 'kysely'
import { BOOTSTRAP, build, standardContract, withKeys } from '../helpers/app.js'

const NOW = Date.parse('2026-03-10T10:00:00+01:00')
const MARK = '@@BAD@@'

/** What is put in a JSON string, as the bytes of the body: an escape JSON allows, or raw bytes. */
const BAD: Array<{ what: string, bytes: Buffer, reason: RegExp }> = [
  { what: 'NUL (\\u0000)', bytes: Buffer.from('\\u0000'), reason: /NUL/ },
  { what: 'lone high surrogate (\\ud800)', bytes: Buffer.from('\\ud800'), reason: /unpaired UTF-16 surrogate/ },
  { what: 'lone low surrogate (\\udc00)', bytes: Buffer.from('\\udc00'), reason: /unpaired UTF-16 surrogate/ },
  { what: 'reversed pair (\\udc00\\ud800)', bytes: Buffer.from('\\udc00\\ud800'), reason: /unpaired UTF-16 surrogate/ },
  { what: 'invalid UTF-8 byte 0xFF', bytes: Buffer.from([0xff]), reason: /not valid UTF-8/ },
  { what: 'truncated UTF-8 sequence', bytes: Buffer.from([0xe2, 0x82]), reason: /not valid UTF-8/ },
  { what: 'surrogate encoded as UTF-8 bytes (CESU)', bytes: Buffer.from([0xed, 0xa0, 0x80]), reason: /not valid UTF-8/ },
  { what: 'overlong UTF-8 "/"', bytes: Buffer.from([0xc0, 0xaf]), reason: /not valid UTF-8/ }
]

/** A JSON body of `value` with the bad bytes spliced in where MARK is. */
function body (value: unknown, bad: Buffer): Buffer {
  const [before, after] = JSON.stringify(value).split(MARK) as [string, string]
  return Buffer.concat([Buffer.from(before), bad, Buffer.from(after)])
}

t.test('strict text', async (t) => {
  const { call, handle } = await build(t, { clock: () => NOW })
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const json = { 'content-type': 'application/json' }
  const post = async (url: string, payload: Buffer | object, key = keys.leverancier) =>
    await call(key, { method: 'POST', url, payload, headers: json })
  const created = await post('/api/v1/meldingen', { contract, kenmerk: 'INC-0', onderwerp: 'Storing', type: 'verstoring', prioriteit: 3, gemeldOp: '2026-03-10T09:00:00+01:00' })
  t.equal(created.statusCode, 201)
  const melding = created.data.id as string
  const count = async (url: string): Promise<number> => (await call(keys.beheerder, { method: 'GET', url })).data.aantal
  const meldingen = async () => await count(`/api/v1/meldingen?contract=${contract}`)
  const events = async () => await count(`/api/v1/meldingen/${melding}/gebeurtenissen`)
  // Every row of every table: a refused request must have written none anywhere.
  const TABLES = ['leverancier', 'sleutel', 'contract', 'contract_normen', 'melding', 'gebeurtenis', 'dienst', 'meetreeks', 'responstijd_dag',
    'uitsluiting', 'onderhoud', 'gebruikersopgave', 'restoretest', 'rapportage']
  const rows = async (): Promise<number> => {
    let n = 0
    for (const table of TABLES) n += Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0]?.n)
    return n
  }

  const refused = (tt: Test, r: Awaited<ReturnType<typeof call>>, name: string, reason: RegExp): void => {
    tt.equal(r.statusCode, 400, r.body)
    tt.match(r.headers['content-type'], /^application\/problem\+json/)
    tt.same(r.data.invalidParams?.map((p: { name: string }) => p.name), [name], 'names the field')
    tt.match(r.data.invalidParams?.[0]?.reason, reason)
  }

  for (const bad of BAD) {
    t.test(`${bad.what}: 400 naming the field, nothing written`, async (t) => {
      const before = { meldingen: await meldingen(), events: await events(), rows: await rows() }
      const m = await post('/api/v1/meldingen', body({ contract, kenmerk: 'INC-BAD', onderwerp: `Storing ${MARK} x`, type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-10T09:00:00+01:00' }, bad.bytes))
      refused(t, m, 'onderwerp', bad.reason)
      const nested = await post('/api/v1/meldingen', body({ contract, kenmerk: 'SEC-BAD', onderwerp: 'Datalek', type: 'beveiligingsincident', gemeldOp: '2026-03-10T09:00:00+01:00', beveiliging: { biv: [`vertrouwelijkheid${MARK}`], major: true } }, bad.bytes))
      refused(t, nested, 'beveiliging.biv[0]', bad.reason)
      const e = await post(`/api/v1/meldingen/${melding}/gebeurtenissen`, body([
        { type: 'reactie', op: '2026-03-10T09:10:00+01:00' },
        { type: 'opmerking', op: '2026-03-10T09:20:00+01:00', toelichting: 'goed' },
        { type: 'opmerking', op: '2026-03-10T09:30:00+01:00', toelichting: `bijna ${MARK} goed`, kenmerk: 'OPM-3' }
      ], bad.bytes))
      refused(t, e, '[2].toelichting', bad.reason)
      const one = await post(`/api/v1/meldingen/${melding}/gebeurtenissen`, body({ type: 'opmerking', op: '2026-03-10T09:30:00+01:00', kenmerk: `OPM-${MARK}` }, bad.bytes))
      refused(t, one, 'kenmerk', bad.reason)
      t.same({ meldingen: await meldingen(), events: await events(), rows: await rows() }, before, 'nothing written')
    })
  }

  t.test('every POST and PATCH refuses a NUL in a string field, naming it, before anything is written', async (t) => {
    const dienst = (await post('/api/v1/diensten', { contract, naam: 'Portaal', meetinterval: 'PT5M' }, BOOTSTRAP)).data.id as string
    const cases: Array<[string, string, object, string]> = [
      ['POST', '/api/v1/leveranciers', { naam: `Acme${MARK}` }, 'naam'],
      ['POST', '/api/v1/contracten', { leverancier: leverancierId, naam: `Z${MARK}` }, 'naam'],
      ['PATCH', `/api/v1/contracten/${contract}`, { naam: `Z${MARK}` }, 'naam'],
      ['POST', '/api/v1/diensten', { contract, naam: `D${MARK}`, meetinterval: 'PT5M' }, 'naam'],
      ['POST', `/api/v1/diensten/${dienst}/metingen`, [{ op: '2026-03-10T09:00:00Z', beschikbaar: true }, { op: `2026-03-10T09:05:00Z${MARK}`, beschikbaar: true }], '[1].op'],
      ['POST', `/api/v1/diensten/${dienst}/uitsluitingen`, { van: '2026-03-10T09:00:00Z', tot: '2026-03-10T10:00:00Z', reden: 'verzoek-gemeente', toelichting: `t${MARK}` }, 'toelichting'],
      ['POST', `/api/v1/diensten/${dienst}/onderhoud`, { van: '2026-03-14T09:00:00Z', tot: '2026-03-14T10:00:00Z', soort: 'update', toelichting: `t${MARK}` }, 'toelichting'],
      ['POST', '/api/v1/restoretests', { contract, kenmerk: 'RT-1', uitgevoerdOp: '2026-02-20T14:00:00+01:00', resultaat: 'geslaagd', opvolging: `geen${MARK}` }, 'opvolging'],
      ['POST', '/api/v1/gebruikersopgaven', { contract, periode: '2026-Q1', gebruikers: 3, rechten: [{ recht: 'lezer', gebruikers: 2 }, { recht: `beheerder${MARK}`, gebruikers: 1 }] }, 'rechten[1].recht'],
      ['POST', '/api/v1/sleutels', { rol: 'lezer', omschrijving: `sleutel${MARK}` }, 'omschrijving'],
      ['POST', '/api/v1/rapportages', { contract, periode: `2026-Q1${MARK}` }, 'periode']
    ]
    for (const [method, url, value, name] of cases) {
      const before = await rows()
      const r = await call(BOOTSTRAP, { method, url, payload: body(value, Buffer.from('\\u0000')), headers: json })
      refused(t, r, name, /NUL/)
      t.equal(await rows(), before, `${method} ${url}: nothing written`)
    }
  })

  t.test('query and path parameters: 400 naming the parameter', async (t) => {
    const get = async (url: string) => await call(keys.lezer, { method: 'GET', url })
    refused(t, await get('/api/v1/meldingen?status=in%00behandeling'), 'status', /NUL/)
    refused(t, await get('/api/v1/meldingen?status=%FF'), 'status', /not valid UTF-8/)
    refused(t, await get('/api/v1/meldingen?status=%ED%A0%80'), 'status', /not valid UTF-8/)
    refused(t, await get('/api/v1/meldingen?status=%ED%B0%80'), 'status', /not valid UTF-8/)
    refused(t, await get(`/api/v1/meldingen?contract=${contract}&peilmoment=2026-03-10T10:00:00Z%00`), 'peilmoment', /NUL/)
    refused(t, await get('/api/v1/meldingen?st%FFatus=x'), 'st%FFatus', /name is not valid UTF-8/)
    refused(t, await get(`/api/v1/meldingen/${melding}%00`), 'id', /NUL/)
    const path = await get('/api/v1/meldingen/%FF')
    refused(t, path, 'path', /not valid UTF-8/)
    // A query that is fine still works, with + and percent-encoded astral characters.
    t.equal((await get(`/api/v1/meldingen?contract=${contract}&status=geregistreerd`)).statusCode, 200)
  })

  t.test('astral and combining characters are stored exactly, and a repeat is answered 200', async (t) => {
    // NFD and NFC forms of the same word differ: nothing is normalised.
    const onderwerp = 'Storing 😀 𝄞 in café (e\u0301) en caf\u00e9, Å (A\u030a), 👩🏽‍💻, ﬁ, \u200d, \uFEFF, \uFFFD'
    const payload = { contract, kenmerk: 'INC-𝄞', onderwerp, type: 'verstoring', prioriteit: 3, gemeldOp: '2026-03-10T09:00:00+01:00' }
    const first = await post('/api/v1/meldingen', payload)
    t.equal(first.statusCode, 201, first.body)
    t.equal(first.data.onderwerp, onderwerp)
    t.equal(first.data.kenmerk, 'INC-𝄞')
    const again = await post('/api/v1/meldingen', Buffer.from(JSON.stringify(payload)))
    t.equal(again.statusCode, 200, 'the same request again: the stored one (idempotent)')
    t.equal(again.data.id, first.data.id)
    const nfc = await post('/api/v1/meldingen', { ...payload, onderwerp: onderwerp.normalize('NFC') })
    t.equal(nfc.statusCode, 409, 'another text (NFC form) is another value: nothing is normalised')
    const stored = await sql<{ onderwerp: string, kenmerk: string }>`select onderwerp, kenmerk from melding where id = ${first.data.id as string}`.execute(handle.db)
    t.same(stored.rows[0], { onderwerp, kenmerk: 'INC-𝄞' }, 'stored exactly')
    const read = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${first.data.id as string}` })
    t.equal(read.data.onderwerp, onderwerp)
    // The same for an event with a kenmerk, and escaped astral characters are the same text as raw ones.
    const ev = [{ type: 'opmerking', op: '2026-03-10T09:40:00+01:00', toelichting: 'gebeld 📞 \ud834\udd1e', kenmerk: 'OPM-📞' }]
    const e1 = await post(`/api/v1/meldingen/${melding}/gebeurtenissen`, ev)
    t.equal(e1.statusCode, 201, e1.body)
    const escaped = Buffer.from('[{"type":"opmerking","op":"2026-03-10T09:40:00+01:00","toelichting":"gebeld \\ud83d\\udcde \\ud834\\udd1e","kenmerk":"OPM-\\ud83d\\udcde"}]')
    const e2 = await post(`/api/v1/meldingen/${melding}/gebeurtenissen`, escaped)
    t.equal(e2.statusCode, 200, 'the same event, escaped: answered as stored')
    t.equal(e2.data.resultaten[0].toelichting, 'gebeld 📞 𝄞')
  })

  t.test('what the JSON parser did before stays', async (t) => {
    const bom = await post('/api/v1/leveranciers', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"naam":"Met BOM"}')]), BOOTSTRAP)
    t.equal(bom.statusCode, 201, 'a leading byte order mark is allowed')
    t.equal(bom.data.naam, 'Met BOM')
    const notJson = await post('/api/v1/leveranciers', Buffer.from('{"naam":'), BOOTSTRAP)
    t.equal(notJson.statusCode, 400)
    t.same(notJson.data.invalidParams, [{ name: 'body', reason: 'is not valid JSON' }])
    const badAndBroken = await post('/api/v1/leveranciers', Buffer.concat([Buffer.from('{"naam":"'), Buffer.from([0xff])]), BOOTSTRAP)
    t.same(badAndBroken.data.invalidParams, [{ name: 'body', reason: 'is not valid UTF-8' }])
    const proto = await post('/api/v1/leveranciers', Buffer.from('{"naam":"x","__proto__":{"a":1}}'), BOOTSTRAP)
    t.equal(proto.statusCode, 400, 'prototype poisoning is refused')
    const text = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: 'naam', headers: { 'content-type': 'text/plain' } })
    t.equal(text.statusCode, 415)
    const before = await rows()
    const big = await post(`/api/v1/meldingen/${melding}/gebeurtenissen`, Buffer.from(JSON.stringify([{ type: 'opmerking', op: '2026-03-10T09:50:00+01:00', toelichting: 'x'.repeat(1_048_576) }])))
    t.equal(big.statusCode, 413, 'a body over 1 MiB: 413')
    t.match(big.headers['content-type'], /^application\/problem\+json/)
    t.equal(await rows(), before)
    // Deeply nested: walked without recursion, the name cut to its end.
    const deep = await post('/api/v1/leveranciers', Buffer.from(`{"naam":${'['.repeat(200_000)}"x\\u0000"${']'.repeat(200_000)}}`), BOOTSTRAP)
    t.equal(deep.statusCode, 400)
    t.equal(deep.data.invalidParams?.[0]?.name, `…0]${'[0]'.repeat(66)}`, 'the last 200 characters of naam[0][0]…[0]')
    t.match(deep.data.invalidParams?.[0]?.reason, /NUL/)
    // Just under the limit, with a NUL at the very end: still read and refused by field.
    const items = Array.from({ length: 2_000 }, (_, i) => ({ type: 'opmerking', op: '2026-03-10T09:50:00+01:00', toelichting: `${'é'.repeat(200)}${i === 1_999 ? MARK : ''}` }))
    const large = body(items, Buffer.from('\\u0000'))
    t.ok(large.length > 800_000 && large.length < 1_048_576)
    refused(t, await post(`/api/v1/meldingen/${melding}/gebeurtenissen`, large), '[1999].toelichting', /NUL/)
  })
})
