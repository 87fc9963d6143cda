// Issue 14: signals reach real endpoints started here: an HTTP receiver that checks the
// Standard Webhooks signature with the standardwebhooks verifier (and fails the first attempts,
// so retries are proven), and an SMTP server (smtp-server) whose mails mailparser reads.
import t from 'tap'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { Webhook } from 'standardwebhooks'
import { sendWebhook, smtpSender } from '../../src/adapters/delivery/senders.js'
import { deliverDue, fireDue, retryDelay, type Verzenders } from '../../src/services/signalen.js'
import { BOOTSTRAP, build, standardContract, TEST_GEHEIMEN_SLEUTEL, TEST_NOW, withKeys } from '../helpers/app.js'
import { documentedResponses } from '../helpers/openapi.js'
import { deliver, koppeling, sign } from '../helpers/koppelingen.js'
import { freshDatabase } from '../helpers/database.js'
import { buildApp } from '../../src/app.js'
import { migrationCount } from '../../src/bootstrap.js'
import { ensureBootstrapKey } from '../../src/adapters/db/sleutels-repository.js'

const MIN = 60_000

interface Received { path: string, headers: IncomingHttpHeaders, body: string }

async function receiver (t: Tap.Test, failFirst: number): Promise<{ url: string, got: Received[], attempts: () => number }> {
  const got: Received[] = []
  let attempts = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      attempts++
      if (req.url === '/kapot' || attempts <= failFirst) {
        res.writeHead(503, { 'retry-after': '120' }).end('busy')
        return
      }
      got.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => { await new Promise((resolve) => server.close(resolve)) })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, attempts: () => attempts }
}

async function smtp (t: Tap.Test): Promise<{ url: string, mails: ParsedMail[] }> {
  const mails: ParsedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData (stream, _session, cb) {
      simpleParser(stream).then((m) => { mails.push(m); cb() }, (err: Error) => { cb(err) })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => { await new Promise<void>((resolve) => server.close(() => { resolve() })) })
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, mails }
}

namespace Tap { export type Test = { teardown: (fn: () => unknown) => void } }

const MATRIX = {
  contacten: [1, 2, 3].flatMap((niveau) => (['opdrachtgever', 'opdrachtnemer'] as const).map((partij) => ({
    niveau, partij, rol: `rol ${niveau}`, naam: `${partij} ${niveau}`, email: `${partij}-${niveau}@example.nl`, telefoon: '050 123 4567'
  })))
}

t.test('signals to a signed webhook (with retries), e-mail and an escalation level; the log, a test send and a resend', async (t) => {
  let now = TEST_NOW
  const { app, call, handle } = await build(t, { clock: () => now })
  const documented = documentedResponses(app)
  const conforms = (r: { statusCode: number, data: unknown }, method: string, url: string): void => { t.same(documented(method, url, r.statusCode, r.data), [], `${method} ${url} ${r.statusCode} as documented`) }
  const { leverancierId, otherLeverancierId, keys } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const otherContract = await standardContract(call, otherLeverancierId)
  const hook = await receiver(t, 4)
  const mail = await smtp(t)
  const verzenders: Verzenders = { webhook: sendWebhook, email: smtpSender(mail.url, 'sla-monitor@example.nl') }
  // Jitter fixed at its middle, so the test knows the backoff.
  const deliver = async (): Promise<number> => await deliverDue(handle.db, { sleutel: TEST_GEHEIMEN_SLEUTEL, publicUrl: 'https://sla.example.nl/api/v1', verzenders, random: () => 0.5 }, now)

  // The escalation matrix of the contract (SLA 6.3).
  const put = await call(keys.leverancier, { method: 'PUT', url: `/api/v1/contracten/${contract}/escalatiematrix`, payload: MATRIX })
  t.equal(put.statusCode, 200, put.body)
  conforms(put, 'PUT', `/api/v1/contracten/${contract}/escalatiematrix`)
  t.match(put.data, { contract, versie: 1, geldigVanaf: '2026-12-01', verouderd: false })
  const half = await call(BOOTSTRAP, { method: 'PUT', url: `/api/v1/contracten/${contract}/escalatiematrix`, payload: { contacten: MATRIX.contacten.slice(0, 5) } })
  t.equal(half.statusCode, 400, 'a matrix needs levels 1–3 of both parties')
  t.match(half.data.invalidParams, [{ name: 'contacten', reason: /opdrachtnemer at niveau 3/ }])
  t.equal((await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/contracten/${contract}/escalatiematrix` })).statusCode, 404, 'another leverancier does not see it')

  // Abonnementen: a webhook (signed), e-mail addresses, escalation level 2.
  const wh = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'webhook', url: `${hook.url}/signalen`, signalen: ['melding.geregistreerd', 'melding.risico', 'melding.verlopen'] } })
  t.equal(wh.statusCode, 201, wh.body)
  conforms(wh, 'POST', '/api/v1/abonnementen')
  t.match(wh.data.geheim, /^whsec_[A-Za-z0-9+/]{43}=$/, 'the signing secret, once')
  t.notOk('geheim' in (await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/abonnementen/${wh.data.id as string}` })).data, 'never shown again')
  const em = await call(keys.leverancier, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'email', adressen: ['servicedesk@acme.example'], signalen: ['melding.verlopen'] } })
  t.equal(em.statusCode, 201, em.body)
  const esc = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'escalatie', niveau: 2, contract, signalen: ['melding.geregistreerd'] } })
  t.equal(esc.statusCode, 201, esc.body)
  const bad = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'webhook', url: 'http://example.nl/hook' } })
  t.equal(bad.statusCode, 400)
  t.match(bad.data.invalidParams, [{ name: 'url' }], 'plain http only to localhost')
  const foreign = await call(keys.leverancier, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'email', adressen: ['x@acme.example'], contract: otherContract } })
  t.equal(foreign.statusCode, 400, 'a leverancier key subscribes to its own contracts only')

  // A prio 2 melding: geregistreerd is in the outbox in the melding's own transaction.
  const m = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'INC-1', onderwerp: 'Zaaksysteem traag', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-12-01T10:00:00+01:00' } })
  t.equal(m.statusCode, 201, m.body)
  const melding = m.data.id as string
  const other = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: otherContract, kenmerk: 'INC-9', onderwerp: 'Ander', type: 'verstoring', prioriteit: 1, gemeldOp: '2026-12-01T10:00:00+01:00' } })
  t.equal(other.statusCode, 201)
  const outbox = await handle.db.selectFrom('signaal').select(['soort', 'melding_id']).where('melding_id', '=', melding).execute()
  t.same(outbox.map((x) => x.soort), ['melding.geregistreerd'])

  // The webhook answers 503 (Retry-After: 120) twice: retried after the backoff, then delivered.
  t.equal(await deliver(), 3, 'webhook and escalation for INC-1, webhook for INC-9 (beheerder: every contract)')
  t.equal(mail.mails.length, 1, 'escalation level 2 mailed at once')
  let log = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/abonnementen/${wh.data.id as string}/afleveringen` })
  conforms(log, 'GET', `/api/v1/abonnementen/${wh.data.id as string}/afleveringen`)
  t.equal(log.data.aantal, 2)
  t.match(log.data.resultaten[0], { status: 'wachtend', pogingen: 1, laatsteStatus: 503, laatsteFout: 'HTTP 503' })
  t.equal(Date.parse(log.data.resultaten[0].volgendePogingOp as string) - now, 120_000, 'Retry-After 120 s beats a 22.5 s backoff')
  t.equal(await deliver(), 0, 'nothing is due before then')
  now += 2 * MIN
  t.equal(await deliver(), 2, 'both retried')
  t.equal(hook.got.length, 0, 'still failing: the first 4 requests (2 per delivery) fail')
  now += 3 * MIN
  t.equal(await deliver(), 2)
  t.equal(hook.got.length, 2, 'delivered on the third attempt')
  log = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/abonnementen/${wh.data.id as string}/afleveringen?status=afgeleverd` })
  t.equal(log.data.aantal, 2, 'INC-1 and INC-9')

  // Each delivery verifies with the standardwebhooks verifier and the secret; the body is a VNG notification.
  const verifier = new Webhook(wh.data.geheim as string)
  for (const r of hook.got) {
    t.doesNotThrow(() => verifier.verify(r.body, r.headers as Record<string, string>), 'signature verifies')
    t.match(r.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/)
    t.throws(() => verifier.verify(r.body.replace('verstoring', 'vraag'), r.headers as Record<string, string>), 'a changed body does not')
  }
  const body = JSON.parse(hook.got.find((r) => r.body.includes('INC-1'))?.body ?? '{}')
  t.match(body, {
    kanaal: 'sla-signalen',
    hoofdObject: `https://sla.example.nl/api/v1/contracten/${contract}`,
    resource: 'melding',
    resourceUrl: `https://sla.example.nl/api/v1/meldingen/${melding}`,
    actie: 'melding.geregistreerd',
    aanmaakdatum: '2026-12-01T09:00:00.500Z',
    kenmerken: { kenmerk: 'INC-1', prioriteit: '2', contract, uitleg: `https://sla.example.nl/api/v1/meldingen/${melding}?uitleg=true` }
  })
  const escMail = mail.mails[0] as ParsedMail
  t.same((escMail.to as { value: Array<{ address: string }> }).value.map((a) => a.address).sort(), ['opdrachtgever-2@example.nl', 'opdrachtnemer-2@example.nl'], 'level 2 of both parties')
  t.match(escMail.subject, /INC-1.*geregistreerd/)

  // Time passes without a request: the job fires risico at 10:48 and verlopen at 11:00 (reactie, 1 werkuur).
  now = Date.parse('2026-12-01T11:05:00+01:00')
  t.equal(await fireDue(handle.db, now), 2 + 1, 'risico and verlopen of INC-1, and INC-9 (prio 1) missed its hourly update at 11:00')
  t.equal(await fireDue(handle.db, now), 0, 'a second run fires nothing again')
  const fired = await handle.db.selectFrom('signaal').select(['soort', 'op', 'gevuurd_op']).where('melding_id', '=', melding).orderBy('gevuurd_op').execute()
  t.same(fired.map((x) => [x.soort, x.op.toISOString(), x.gevuurd_op.toISOString()]), [
    ['melding.geregistreerd', '2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.500Z'],
    ['melding.risico', '2026-12-01T09:48:00.000Z', '2026-12-01T09:48:00.000Z'],
    ['melding.verlopen', '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.000Z']
  ], 'each at its own instant, though the job ran only at 11:05 (it caught up)')
  await deliver()
  const verlopenMail = mail.mails.find((x) => x.subject?.includes('deadline overschreden'))
  t.ok(verlopenMail, 'the leverancier\'s e-mail abonnement got melding.verlopen')
  t.match(verlopenMail?.text, /Deadline: dinsdag 1 december 2026 om 11:00 \(Nederlandse tijd\)/)
  t.match(verlopenMail?.text, /Klok: reactietijd/)
  t.match(verlopenMail?.html, /<p>Deadline: dinsdag 1 december 2026 om 11:00/)
  t.notOk(mail.mails.some((x) => x.text?.includes('INC-9') === true && (x.to as { text: string }).text.includes('acme')), 'the leverancier gets no mail of another leverancier\'s melding')

  // A test send and a resend are logged like any delivery.
  const test = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/abonnementen/${wh.data.id as string}/test` })
  t.equal(test.statusCode, 202, test.body)
  conforms(test, 'POST', `/api/v1/abonnementen/${wh.data.id as string}/test`)
  await deliver()
  t.ok(hook.got.some((r) => JSON.parse(r.body).actie === 'test'), 'the test arrived, signed')
  const first = (await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/abonnementen/${wh.data.id as string}/afleveringen` })).data.resultaten[0]
  const again = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/abonnementen/${wh.data.id as string}/afleveringen/${first.id as string}/opnieuw` })
  t.equal(again.statusCode, 202)
  t.equal(again.data.status, 'wachtend')
  const before = hook.got.length
  await deliver()
  t.equal(hook.got.length, before + 1, 'sent again')
  t.equal(hook.got.at(-1)?.headers['webhook-id'], first.id, 'with the same webhook-id, so the receiver can drop it')

  // Scope: another leverancier sees neither the beheerder's nor this leverancier's abonnementen.
  t.equal((await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/abonnementen/${em.data.id as string}` })).statusCode, 404)
  t.equal((await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/abonnementen/${wh.data.id as string}/afleveringen` })).statusCode, 404)
  t.equal((await call(keys.otherLeverancier, { method: 'GET', url: '/api/v1/abonnementen' })).data.aantal, 0)
  t.equal((await call(keys.leverancier, { method: 'GET', url: '/api/v1/abonnementen' })).data.aantal, 1)
  t.equal((await call(keys.lezer, { method: 'GET', url: '/api/v1/abonnementen' })).statusCode, 403, 'lezer keys do not read addresses and URLs')
  t.equal((await call(keys.monitor, { method: 'GET', url: `/api/v1/contracten/${contract}/escalatiematrix` })).statusCode, 403)

  // Stopped: no new deliveries.
  const stop = await call(BOOTSTRAP, { method: 'DELETE', url: `/api/v1/abonnementen/${wh.data.id as string}` })
  t.equal(stop.data.actief, false)
  now = Date.parse('2026-12-03T12:00:00+01:00')
  await fireDue(handle.db, now)
  const whCount = await handle.db.selectFrom('aflevering').select((eb) => eb.fn.countAll<string>().as('n')).where('abonnement_id', '=', wh.data.id as string).executeTakeFirstOrThrow()
  t.equal(Number(whCount.n), 5, 'geregistreerd of INC-1 and INC-9, risico and verlopen of INC-1, the test: the later verlopen of functieherstel does not go to a stopped abonnement')

  // The matrix not confirmed for over a year is flagged.
  now += 366 * 24 * 60 * MIN
  t.equal((await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/contracten/${contract}/escalatiematrix` })).data.verouderd, true)
})

t.test('a receiver that keeps failing: attempts with growing delays for 24 hours, then mislukt', async (t) => {
  let now = TEST_NOW
  const { call, handle } = await build(t, { clock: () => now })
  const { leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const hook = await receiver(t, 0)
  const verzenders: Verzenders = { webhook: sendWebhook, email: undefined }
  const wh = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'webhook', url: `${hook.url}/kapot`, contract } })
  const test = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/abonnementen/${wh.data.id as string}/test` })
  const times: number[] = []
  for (let i = 0; i < 200; i++) {
    const f = await handle.db.selectFrom('aflevering').selectAll().where('id', '=', test.data.id as string).executeTakeFirstOrThrow()
    if (f.status !== 'wachtend') break
    now = Math.max(now, f.volgende_poging_op?.getTime() ?? now)
    times.push(now)
    await deliverDue(handle.db, { sleutel: TEST_GEHEIMEN_SLEUTEL, publicUrl: 'https://x/api/v1', verzenders }, now)
  }
  const f = await handle.db.selectFrom('aflevering').selectAll().where('id', '=', test.data.id as string).executeTakeFirstOrThrow()
  t.equal(f.status, 'mislukt')
  t.equal(hook.attempts(), times.length)
  t.ok(times.length >= 12 && times.length <= 40, `${times.length} attempts`)
  t.ok((times.at(-1) as number) - TEST_NOW <= 24 * 3_600_000, 'all within 24 hours of the signal')
  t.ok((times.at(-1) as number) - TEST_NOW > 20 * 3_600_000, 'and spread over them')
  const gaps = times.slice(1).map((x, i) => x - (times[i] as number))
  t.ok(gaps.every((g) => g >= 120_000), 'never before Retry-After')
  t.ok((gaps.at(-1) as number) > 3_600_000 - 1, 'the delays grew to the hour range')
  for (let a = 1; a < 12; a++) {
    const d = retryDelay(a, 0.3)
    t.ok(d >= Math.min(7_200_000, 30_000 * 2 ** (a - 1)) / 2 && d <= Math.min(7_200_000, 30_000 * 2 ** (a - 1)), `attempt ${a}: ${d} ms, with jitter`)
  }
})

t.test('instances firing together never send one signal twice', async (t) => {
  let now = TEST_NOW
  const { call, handle } = await build(t, { clock: () => now })
  const { leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'email', adressen: ['a@example.nl'] } })
  for (let i = 0; i < 30; i++) {
    await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: `R-${i}`, onderwerp: 'x', type: 'verstoring', prioriteit: 1 + (i % 4), gemeldOp: '2026-12-01T09:00:00+01:00' } })
  }
  now = Date.parse('2026-12-04T12:00:00+01:00')
  const runs = await Promise.all([fireDue(handle.db, now, 7), fireDue(handle.db, now, 7), fireDue(handle.db, now, 7)])
  const rows = await handle.db.selectFrom('signaal').select(['sleutel']).execute()
  t.equal(new Set(rows.map((r) => r.sleutel)).size, rows.length)
  const afl = await handle.db.selectFrom('aflevering').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(afl.n), rows.length, 'one delivery per signal for the one abonnement')
  t.ok(runs.reduce((a, b) => a + b, 0) > 30, `${runs.join('+')} signals fired by three concurrent runs`)
  t.equal(await fireDue(handle.db, now), 0, 'and nothing is left')
})

t.test('a koppeling message that ends as fout and a final report are signals, once each', async (t) => {
  const { call, handle } = await build(t)
  const { leverancierId, keys } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const sub = await call(keys.leverancier, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'email', adressen: ['beheer@acme.example'], signalen: ['koppeling.fout', 'rapportage.definitief'] } })
  t.equal(sub.statusCode, 201)
  const k = await koppeling(call, contract, 'jira')
  const body = JSON.stringify({ timestamp: TEST_NOW, webhookEvent: 'jira:issue_updated', issue: { id: '7', key: 'F-7', fields: { summary: 'x' } } })
  const r = await deliver(call, k.id, body, sign.jira(k.geheim, body, 'lev-1'))
  t.equal(r.data.resultaat, 'fout', JSON.stringify(r.data))
  const again = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${k.id}/berichten/${r.data.id as string}/herverwerken` })
  t.equal(again.data.resultaat, 'fout', 'reprocessed, still fout')
  const q1 = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q3' } })
  t.equal(q1.statusCode, 201, q1.body)
  const q4 = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q4' } })
  t.equal(q4.statusCode, 201, 'Q4 is not over at TEST_NOW: voorlopig, no signal')
  const rows = await handle.db.selectFrom('signaal').select(['soort', 'kenmerken']).where('contract_id', '=', contract).orderBy('aangemaakt_op').orderBy('soort').execute()
  t.same(rows.map((x) => x.soort), ['koppeling.fout', 'rapportage.definitief'])
  t.match(rows[0]?.kenmerken, { koppeling: k.id, bericht: r.data.id, reden: /.+/ })
  t.match(rows[1]?.kenmerken, { rapportage: q1.data.id, periode: '2026-Q3' })
  const log = await call(keys.leverancier, { method: 'GET', url: `/api/v1/abonnementen/${sub.data.id as string}/afleveringen` })
  t.equal(log.data.aantal, 2, 'both to the leverancier\'s abonnement')
})

t.test('the job of every instance fires and delivers by itself, with no request coming in', async (t) => {
  let now = TEST_NOW
  const { handle } = await freshDatabase(t)
  await ensureBootstrapKey(handle.db, BOOTSTRAP)
  const hook = await receiver(t, 0)
  const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => now, geheimenSleutel: TEST_GEHEIMEN_SLEUTEL, signalenIntervalMs: 50 })
  t.teardown(async () => { await app.close() })
  await app.ready()
  const post = async (url: string, payload: object): Promise<any> => (await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${BOOTSTRAP}` } })).json()
  const lev = await post('/api/v1/leveranciers', { naam: 'Acme' })
  const con = await post('/api/v1/contracten', { leverancier: lev.id, naam: 'Zaaksysteem' })
  await post('/api/v1/abonnementen', { soort: 'webhook', url: `${hook.url}/x`, signalen: ['melding.verlopen'] })
  await post('/api/v1/meldingen', { contract: con.id, kenmerk: 'J-1', onderwerp: 'x', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-12-01T10:00:00+01:00' })
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.equal(hook.got.length, 0, 'nothing is due yet')
  now = Date.parse('2026-12-01T11:00:00+01:00')
  for (let i = 0; i < 100 && hook.got.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(hook.got.length, 1, 'the reactie deadline passed: melding.verlopen arrived')
  t.match(JSON.parse(hook.got[0]?.body ?? '{}'), { actie: 'melding.verlopen', kenmerken: { klok: 'reactie', deadline: '2026-12-01T10:00:00Z' } })
})

t.test('beschikbaarheid.onder-norm: below the norm so far, and the instant the month\'s norm can no longer be reached (E11)', async (t) => {
  const { call, handle } = await build(t)
  const { leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const sub = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'email', adressen: ['beheer@gemeente.example'], signalen: ['beschikbaarheid.onder-norm'] } })
  t.equal(sub.statusCode, 201)
  const dienst = (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/diensten', payload: { contract, naam: 'Portaal' } })).data.id as string
  // Mon 2 February 2026, 07:00–23:00 (+01:00) every minute; down from 07:00 to 17:00: 600 minutes.
  const from = Date.parse('2026-02-02T07:00:00+01:00')
  const samples = Array.from({ length: 16 * 60 }, (_, i) => ({ op: new Date(from + i * MIN).toISOString(), beschikbaar: i >= 600 }))
  const up = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${dienst}/metingen`, payload: samples.slice(600) })
  t.equal(up.statusCode, 200, up.body)
  t.equal((await handle.db.selectFrom('signaal').selectAll().execute()).length, 0, 'available samples signal nothing')
  const down = await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${dienst}/metingen`, payload: samples.slice(0, 600) })
  t.equal(down.statusCode, 200, down.body)
  const rows = await handle.db.selectFrom('signaal').select(['sleutel', 'op', 'kenmerken']).orderBy('sleutel').execute()
  t.same(rows.map((r) => r.sleutel), [`beschikbaarheid.onder-norm:${dienst}:2026-02:onbereikbaar`, `beschikbaarheid.onder-norm:${dienst}:2026-02:onder-norm`])
  // February's window: 28 × 16 h = 26,880 min; 2 % of it is 537.6 min of downtime, passed at 07:00 + 537.6 min.
  t.equal(rows[0]?.op.toISOString(), '2026-02-02T14:57:36.000Z', 'the norm was out of reach from 15:57:36 local time')
  t.match(rows[0]?.kenmerken, { maand: '2026-02', reden: 'onbereikbaar', budget: 'PT8H57M36S', resterend: 'PT0S', onbeschikbaar: 'PT10H' })
  t.match(rows[1]?.kenmerken, { reden: 'onder-norm', beschikbaarheid: '0.375' })
  // More downtime later in the month: the same two keys, nothing new.
  const later = Date.parse('2026-02-03T07:00:00+01:00')
  await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${dienst}/metingen`, payload: [{ op: new Date(later).toISOString(), beschikbaar: false }] })
  t.equal((await handle.db.selectFrom('signaal').selectAll().execute()).length, 2, 'once per month and dienst')
  const log = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/abonnementen/${sub.data.id as string}/afleveringen` })
  t.equal(log.data.aantal, 2)
})
