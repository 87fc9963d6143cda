// `npm run bench`: every benchmark, one line each:
//   bench <name>: <figure> <unit> (<ratio>x <baseline>)
// Baselines are measured in the same run on the same machine. `npm run bench -- calendar`
// runs one group; `npm run bench -- ingest` only the event-ingest part of `meldingen` (PostgreSQL,
// DATABASE_URL), without the embedded database's 100,000-melding list. `npm run bench -- koppelingen`:
// signed webhook deliveries accepted (and translated) per second on PostgreSQL, against that ingest.
// `npm run bench -- topdesk`: a TOPdesk history import from the fake TOPdesk (issue 13), against batch ingest.
import { benchBeschikbaarheid } from './beschikbaarheid.js'
import { benchCalendar } from './calendar.js'
import { benchHttp } from './http.js'
import { benchKoppelingen } from './koppelingen.js'
import { benchIngest, benchMeldingen } from './meldingen.js'
import { benchRapportage } from './rapportage.js'
import { benchSignalen } from './signalen.js'
import { benchTopdesk } from './topdesk.js'

const groups: Record<string, () => Promise<void>> = { calendar: benchCalendar, http: benchHttp, meldingen: benchMeldingen, beschikbaarheid: benchBeschikbaarheid, rapportage: benchRapportage, koppelingen: benchKoppelingen, signalen: benchSignalen, topdesk: benchTopdesk }
// Parts of a group, run only when named.
const parts: Record<string, () => Promise<void>> = { ingest: benchIngest }
const asked = process.argv.slice(2).filter((a) => a in groups || a in parts)
for (const name of asked.length > 0 ? asked : Object.keys(groups)) await (groups[name] ?? parts[name])?.()
