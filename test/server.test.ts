// The process as an operator runs it: configuration errors, start, readiness, graceful stop.
import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'

const root = new URL('..', import.meta.url).pathname

function run (env: Record<string, string>): { child: ReturnType<typeof spawn>, out: () => string, err: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info', ...env } })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => { out += String(d) })
  child.stderr?.on('data', (d: Buffer) => { err += String(d) })
  return { child, out: () => out, err: () => err }
}

t.test('a bad variable stops the start with one line naming it', async (t) => {
  const p = run({ PORT: 'tachtig' })
  const [code] = await once(p.child, 'exit')
  t.equal(code, 2)
  t.equal(p.err().trim(), 'sla-monitor: bad configuration: PORT: \'tachtig\' is not a port number (1–65535)')
})

t.test('an unreachable database stops the start', async (t) => {
  const p = run({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '18111' })
  const [code] = await once(p.child, 'exit')
  t.equal(code, 1)
  t.match(p.out(), /cannot start: database \(PostgreSQL\) not ready/)
})

t.test('starts, answers ready, and stops gracefully on SIGTERM', async (t) => {
  const p = run({ DATABASE_URL: 'memory://', PORT: '18112', HOST: '127.0.0.1' })
  const deadline = Date.now() + 60_000
  let status = 0
  while (Date.now() < deadline) {
    try { status = (await fetch('http://127.0.0.1:18112/health/ready')).status } catch { status = 0 }
    if (status === 200) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.equal(status, 200)
  const exited = once(p.child, 'exit')
  p.child.kill('SIGTERM')
  const [code] = await exited
  t.equal(code, 0)
  t.match(p.out(), /"msg":"stopped"/)
  t.match(p.out(), /"readyMs":\d+/)
})
