import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { decryptGeheim, encryptGeheim, generateGeheim, KEY_FILE, keyFileSleutel, parseGeheimenSleutel, sameSecret } from '../../src/adapters/security/geheimen.js'

t.test('a secret round-trips through AES-256-GCM; another key or a changed byte is refused', async (t) => {
  const key = Buffer.alloc(32, 1)
  const secret = generateGeheim()
  t.match(secret, /^[A-Za-z0-9_-]{43}$/)
  t.not(generateGeheim(), secret, 'random')
  const a = encryptGeheim(key, secret)
  const b = encryptGeheim(key, secret)
  t.notSame(a, b, 'a fresh nonce each time')
  t.equal(decryptGeheim(key, a), secret)
  t.throws(() => decryptGeheim(Buffer.alloc(32, 2), a), 'another key')
  const tampered = Buffer.from(a)
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1
  t.throws(() => decryptGeheim(key, tampered), 'the tag catches a change')
})

t.test('constant-time compare with an equal-length guard', async (t) => {
  t.ok(sameSecret('abc', 'abc'))
  t.notOk(sameSecret('abc', 'abd'))
  t.notOk(sameSecret('abc', 'abcd'), 'other lengths: false, no throw')
  t.notOk(sameSecret('', 'x'))
})

t.test('SLA_GEHEIMEN_SLEUTEL: 64 hex digits or base64url of 32 bytes', async (t) => {
  t.same(parseGeheimenSleutel('0f'.repeat(32)), Buffer.alloc(32, 15))
  t.same(parseGeheimenSleutel(Buffer.alloc(32, 9).toString('base64')), Buffer.alloc(32, 9))
  t.equal(parseGeheimenSleutel('0f'.repeat(16)), undefined, '16 bytes is not AES-256')
  t.equal(parseGeheimenSleutel('not a key at all'), undefined)
})

t.test('the embedded database\'s key file is made once, readable only by its owner, and then kept', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sla-geheimen-')), 'data')
  const first = keyFileSleutel(dir)
  t.equal(first.length, 32)
  t.equal(statSync(join(dir, KEY_FILE)).mode & 0o777, 0o600)
  const text = readFileSync(join(dir, KEY_FILE), 'utf8')
  t.same(keyFileSleutel(dir), first, 'the same key on the next start')
  t.equal(readFileSync(join(dir, KEY_FILE), 'utf8'), text, 'the file is not rewritten')
})
