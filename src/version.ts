import { readFileSync } from 'node:fs'

/** The service's version (package.json), which is also the API-Version header and info.version. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
