// Runs the README's walkthrough as a newcomer pastes it: every ```sh block in order, in one bash
// session (so the ids captured by one block serve the next), except the blocks that start or build
// the service. A line `#@ text` right after a command is the output the README promises for it: the
// command's output must match those lines (`…` stands for any text). Usage:
//   node .ci/readme-walkthrough.mjs README.md   (with the service running; PORT as it listens)
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const readme = readFileSync(process.argv[2] ?? 'README.md', 'utf8')
const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1])
const runnable = blocks.filter((b) => !/(^|\s)(npm|docker) /m.test(b) && !/^SLA_BOOTSTRAP_KEY=/m.test(b))

const q = (s) => `'${s.replaceAll("'", "'\\''")}'`
let script = 'set -u\nfail=0\ncheck () { # check NAME EXPECTED_REGEX_FILE\n' +
  '  if ! node -e \'const fs=require("fs");const out=fs.readFileSync(process.argv[1],"utf8").trimEnd();const re=new RegExp(fs.readFileSync(process.argv[2],"utf8").trimEnd(),"s");process.exit(re.test(out)?0:1)\' "$W/out" "$2"; then\n' +
  '    fail=$((fail+1)); echo "README walkthrough: output of $1 differs"; echo "--- expected (regex):"; cat "$2"; echo; echo "--- got:"; cat "$W/out"; echo; fi\n}\n'
let chunk = []
let expected = []
let n = 0
const escape = (line) => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('…', '.*')
const flush = () => {
  if (chunk.length === 0) return
  const code = chunk.join('\n')
  if (expected.length === 0) {
    script += `${code}\n`
  } else {
    n++
    const file = `$W/expect-${n}`
    script += `cat > ${file} <<'__EXPECT__'\n^${expected.map(escape).join('\\n')}$\n__EXPECT__\n`
    script += `{\n${code}\n} > "$W/out" 2>&1\ncheck ${q(`"${chunk.find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.trim().slice(0, 70) ?? ''}"`)} ${file}\n`
  }
  chunk = []
  expected = []
}
for (const block of runnable) {
  for (const line of block.split('\n')) {
    if (line.startsWith('#@')) { expected.push(line.replace(/^#@ ?/, '')); continue }
    if (expected.length > 0) flush()
    chunk.push(line)
  }
  flush()
}
script += 'echo "README walkthrough: '+n+' outputs checked, $fail differ"\nexit $fail\n'

const dir = mkdtempSync(join(tmpdir(), 'readme-'))
writeFileSync(join(dir, 'walkthrough.sh'), script)
const r = spawnSync('bash', [join(dir, 'walkthrough.sh')], { cwd: dir, stdio: 'inherit', env: { ...process.env, W: dir } })
process.exit(r.status ?? 1)
