import t from 'tap'
import { BOOTSTRAP, build, standardContract, TEST_NOW, withKeys } from '../helpers/app.js'
import { freshDatabase } from '../helpers/database.js'
import { documentedResponses } from '../helpers/openapi.js'
import { deliver, koppeling, sign } from '../helpers/koppelingen.js'

/**
 * Replacing a koppeling's secret (issue 12): the new one is shown once; the previous one is still
 * accepted for the overlap, so the tool can be switched over without refused deliveries, and
 * refused after it.
 */
t.test('a koppeling\'s secret replaced, with an overlap for the previous one', async (t) => {
  const { handle } = await freshDatabase(t)
  const { app, call } = await build(t, { handle })
  const later = await build(t, { handle, clock: () => TEST_NOW + 2 * 3_600_000 })
  const { leverancierId, keys } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const k = await koppeling(call, contract, 'jira')
  const documented = documentedResponses(app)
  let n = 0
  const send = async (c: typeof call, geheim: string): Promise<number> => {
    const body = JSON.stringify({ timestamp: TEST_NOW, webhookEvent: 'jira:issue_created', issue: { id: String(++n), key: `ZS-${n}`, fields: { summary: 'x', created: '2026-11-30T10:00:00.000+0100', priority: { name: 'High' } } } })
    return (await deliver(c, k.id, body, sign.jira(geheim, body, `d${n}`))).statusCode
  }

  const r = await call(keys.leverancier, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/geheim`, payload: { overlap: 'PT1H' } })
  t.equal(r.statusCode, 200)
  t.same(documented('POST', '/api/v1/koppelingen/{id}/geheim', 200, r.data), [], 'as documented')
  const nieuw = r.data.geheim as string
  t.match(nieuw, /^[A-Za-z0-9_-]{43}$/, 'made: 32 random bytes, base64url')
  t.not(nieuw, k.geheim)
  t.same([r.data.geheimGewisseldOp, r.data.vorigGeheimGeldigTot], ['2026-12-01T09:00:00.500Z', '2026-12-01T10:00:00.500Z'])
  const read = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/koppelingen/${k.id}` })
  t.equal(read.data.geheim, undefined, 'never shown again')
  const stored = await handle.db.selectFrom('koppeling').select(['geheim_versleuteld', 'vorig_geheim_versleuteld']).where('id', '=', k.id).executeTakeFirstOrThrow()
  for (const s of [nieuw, k.geheim]) {
    t.notOk(Buffer.from(stored.geheim_versleuteld).includes(s) || Buffer.from(stored.vorig_geheim_versleuteld ?? []).includes(s), 'stored encrypted')
  }

  t.same([await send(call, k.geheim), await send(call, nieuw)], [200, 200], 'within the overlap: the previous and the new secret')
  t.same([await send(later.call, k.geheim), await send(later.call, nieuw)], [401, 200], 'after it: only the new one')
  t.equal(await send(call, 'some-other-secret-of-enough-length'), 401)

  // PT0S: the previous one is refused at once; a secret replaced twice forgets the first.
  const again = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/geheim`, payload: { geheim: 'a-given-secret-of-24-chars!!', overlap: 'PT0S' } })
  t.same([again.statusCode, again.data.geheim], [200, 'a-given-secret-of-24-chars!!'])
  t.same([await send(call, nieuw), await send(call, k.geheim), await send(call, 'a-given-secret-of-24-chars!!')], [401, 401, 200])

  const bad = async (payload: object): Promise<[number, string | undefined]> => {
    const x = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/geheim`, payload })
    return [x.statusCode, x.data.invalidParams?.[0]?.name]
  }
  t.same(await bad({ overlap: 'PT169H' }), [400, 'overlap'], 'at most a week')
  t.same(await bad({ overlap: 'een dag' }), [400, 'overlap'])
  t.same(await bad({ geheim: 'short' }), [400, 'geheim'])
  t.same(await bad({ extra: 1 }), [400, 'extra'])
  t.equal(await send(call, 'a-given-secret-of-24-chars!!'), 200, 'a refused change changed nothing')
  const other = await call(keys.otherLeverancier, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/geheim`, payload: {} })
  t.equal(other.statusCode, 404, 'another leverancier\'s key cannot')
  const lezer = await call(keys.lezer, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/geheim`, payload: {} })
  t.equal(lezer.statusCode, 403)
  t.equal(await send(call, 'a-given-secret-of-24-chars!!'), 200)
})
