import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Secrets of koppelingen (issue 12). A webhook signature (Jira, Zendesk) can only be checked with
 * the shared secret itself, so it cannot be stored as a hash like an API key: it is stored
 * encrypted with AES-256-GCM under a key that is not in the database (SLA_GEHEIMEN_SLEUTEL, or
 * for the embedded database a key file next to it). A database dump alone reveals no secret.
 */

const NONCE = 12
const TAG = 16

/** A new shared secret: 32 random bytes, base64url (43 characters). */
export const generateGeheim = (): string => randomBytes(32).toString('base64url')

/** nonce ‖ tag ‖ ciphertext. */
export function encryptGeheim (key: Buffer, plain: string): Buffer {
  const nonce = randomBytes(NONCE)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return Buffer.concat([nonce, cipher.getAuthTag(), body])
}

/** Throws when the data was not encrypted with this key (the GCM tag does not match). */
export function decryptGeheim (key: Buffer, stored: Uint8Array): string {
  const b = Buffer.from(stored)
  const decipher = createDecipheriv('aes-256-gcm', key, b.subarray(0, NONCE))
  decipher.setAuthTag(b.subarray(NONCE, NONCE + TAG))
  return Buffer.concat([decipher.update(b.subarray(NONCE + TAG)), decipher.final()]).toString('utf8')
}

/** Equal in constant time; texts of other lengths are compared through their SHA-256, so the length leaks nothing either. */
export function sameSecret (a: string | Buffer, b: string | Buffer): boolean {
  const x = Buffer.isBuffer(a) ? a : Buffer.from(a, 'utf8')
  const y = Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8')
  if (x.length !== y.length) {
    timingSafeEqual(createHash('sha256').update(x).digest(), createHash('sha256').update(y).digest())
    return false
  }
  return timingSafeEqual(x, y)
}

export const hmacSha256 = (secret: string, ...parts: Array<string | Buffer>): Buffer => {
  const h = createHmac('sha256', secret)
  for (const p of parts) h.update(p)
  return h.digest()
}

/** Reads a key as given in SLA_GEHEIMEN_SLEUTEL: 32 bytes as 64 hex digits or base64/base64url (43–44 characters). */
export function parseGeheimenSleutel (text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const b = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    return b.length === 32 ? b : undefined
  }
  return undefined
}

export const KEY_FILE = 'geheimen.sleutel'

/**
 * The embedded database's key file, made once (mode 0600) when absent. It must travel with the
 * data directory: without it the koppelingen's secrets cannot be read (new ones can be set).
 */
export function keyFileSleutel (dataDir: string): Buffer {
  const file = join(dataDir, KEY_FILE)
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
      chmodSync(file, 0o600)
    } catch (err) {
      // Another process made it first: use that one.
      if ((err as { code?: string }).code !== 'EEXIST') throw err
    }
  }
  const key = parseGeheimenSleutel(readFileSync(file, 'utf8').trim())
  if (key === undefined) throw new Error(`${file} does not hold a 32-byte key as 64 hex digits`)
  return key
}
