import { HOUR } from '../time.js'
import type { Normen } from './types.js'

/**
 * The standard SLA's norms (SLA-RULES §4, table 3.3 and 3.4), used when a contract states none.
 * A werkdag of business time is 10 werkuren (R-CAL-3).
 */
export const STANDAARD_NORMEN: Normen = {
  perPrioriteit: {
    1: { reactietijd: null, functiehersteltijd: 4 * HOUR, voortgang: 1 * HOUR, kalender: 'kantooruren' },
    2: { reactietijd: 1 * HOUR, functiehersteltijd: 20 * HOUR, voortgang: 8 * HOUR, kalender: 'kantooruren' },
    3: { reactietijd: 4 * HOUR, functiehersteltijd: 50 * HOUR, voortgang: null, kalender: 'kantooruren' },
    4: { reactietijd: 8 * HOUR, functiehersteltijd: 100 * HOUR, voortgang: null, kalender: 'kantooruren' }
  },
  automatischSluitenNa: 100 * HOUR
}

/** The default prestatienorm (R-KPI-3) and beschikbaarheidsnorm (R-BES-5). */
export const STANDAARD_PRESTATIENORM = 0.85
export const STANDAARD_BESCHIKBAARHEIDSNORM = 0.98
