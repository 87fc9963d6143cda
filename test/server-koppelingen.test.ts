// Koppelingen as an operator runs the service on the embedded database (issue 12): the key of
// the secrets is a file made once in DATA_DIR, so a secret stored before a restart still checks after it.
import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
/** A port free right now (another test or agent may hold any fixed one). */
async function freePort (): Promise<string> {
  const srv = createServer()
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  const port = (srv.address() as AddressInfo).port
  srv.close()
  await once(srv, 'close')
  return String(port)
}
const PORT = await freePort()
const BASE = `http://127.0.0.1:${PORT}`
const KEY = 'server-koppelingen-bootstrap-key-0123456789'

async function start (dataDir: string): Promise<ReturnType<typeof spawn>> {
  // A roomy answer budget: the outcome (200 verwerkt) is asserted, not a 202 on a loaded machine.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', PORT, HOST: '127.0.0.1', DATA_DIR: dataDir, SLA_BOOTSTRAP_KEY: KEY, DATABASE_URL: '', SLA_GEHEIMEN_SLEUTEL: '', KOPPELING_ANTWOORD_MS: '30000' }
  })
  let out = ''
  child.stdout?.on('data', (d: Buffer) => { out += String(d) })
  child.stderr?.on('data', (d: Buffer) => { out += String(d) })
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline && child.exitCode === null) {
    const status = await fetch(`${BASE}/health/ready`).then((r) => r.status, () => 0)
    if (status === 200) return child
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  child.kill('SIGTERM')
  throw new Error(`the service did not become ready (exit ${String(child.exitCode)}): ${out}`)
}

async function stop (child: ReturnType<typeof spawn>): Promise<void> {
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

const post = async (path: string, body: object, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }): Promise<{ status: number, data: any }> => {
  const r = await fetch(`${BASE}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: r.status, data: await r.json() }
}

t.test('embedded database: the key file is made once and a stored secret checks after a restart', async (t) => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sla-koppel-')), 'data')
  let child = await start(dataDir)
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGTERM') })
  t.equal(statSync(join(dataDir, 'geheimen.sleutel')).mode & 0o777, 0o600, 'made at start, owner only')
  const lev = await post('/leveranciers', { naam: 'Acme' })
  const contract = await post('/contracten', { leverancier: lev.data.id, naam: 'Zaaksysteem' })
  const k = await post('/koppelingen', { contract: contract.data.id, bron: 'topdesk', naam: 'TOPdesk gemeente' })
  t.equal(k.status, 201)
  await stop(child)

  child = await start(dataDir)
  const incident = { id: '11111111-2222-4333-8444-555555555555', number: 'M2611 0001', briefDescription: 'Test', callDate: '2026-11-30T08:00:00.000+0000', modificationDate: '2026-11-30T08:00:00.000+0000', priority: { id: 'p', name: 'P3 Normaal' } }
  const bad = await post(`/koppelingen/${k.data.id as string}/berichten`, incident, { authorization: 'Bearer not-the-secret-of-this-koppeling' })
  t.equal(bad.status, 401)
  const ok = await post(`/koppelingen/${k.data.id as string}/berichten`, incident, { authorization: `Bearer ${k.data.geheim as string}` })
  t.same([ok.status, ok.data.resultaat], [200, 'verwerkt'], 'the secret was read with the same key file after the restart')
  await stop(child)
})
