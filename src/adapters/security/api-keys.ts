import { createHash, randomBytes } from 'node:crypto'

/** Visible start of every key, so that a leaked one is recognisable (secret scanners, logs). */
export const KEY_PREFIX = 'slam_'

/** A new secret: 32 random bytes (256 bits), base64url, behind the prefix. */
export function generateApiKey (): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url')
}

/**
 * The stored form of a key. The secrets are 256-bit random values, not passwords, so one SHA-256
 * is enough: nobody can search that space, and a slow hash would only slow every request down.
 * Looking keys up by hash also avoids comparing secrets byte by byte.
 */
export function hashApiKey (key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** The first characters shown in listings: the prefix and 6 characters of the secret. */
export function keyPrefix (key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6)
}
