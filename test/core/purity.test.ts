// The architecture's main rule, checked: the core imports nothing but luxon and itself, and
// reads no clock, environment or I/O (time, holidays and events come in as values).
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../../src/core', import.meta.url).pathname
const files: string[] = []
const walk = (dir: string): void => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) walk(p)
    else if (p.endsWith('.ts')) files.push(p)
  }
}
walk(root)

t.test('src/core imports only luxon and its own modules', async (t) => {
  t.ok(files.length >= 15, `${files.length} files`)
  for (const f of files) {
    const src = readFileSync(f, 'utf8')
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
      const spec = m[1] as string
      t.ok(spec === 'luxon' || spec.startsWith('./') || spec.startsWith('../'), `${f.slice(root.length)} imports ${spec}`)
      if (spec.startsWith('../')) t.notOk(join(f, '..', spec).replace(/\\/g, '/').includes('/src/') && !join(f, '..', spec).includes('/src/core'), `${spec} stays inside src/core`)
    }
    t.notMatch(src, /Date\.now\(|process\.|performance\.now|new Date\(\)|Math\.random|require\(/, `${f.slice(root.length)} reads no clock, environment or randomness`)
  }
})
