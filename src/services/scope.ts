import type { Scope } from '../adapters/db/contracten-repository.js'
import type { Principal } from '../adapters/db/sleutels-repository.js'

export type { Scope } from '../adapters/db/contracten-repository.js'
export type { Principal } from '../adapters/db/sleutels-repository.js'

/** What a key may see: gemeente keys everything, a leverancier key its own leverancier's. */
export const scopeOf = (p: Principal | null | undefined): Scope => ({ leverancierId: p?.rol === 'leverancier' ? p.leverancierId : null })
