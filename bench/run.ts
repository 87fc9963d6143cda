// `npm run bench`: every benchmark, one line each:
//   bench <name>: <figure> <unit> (<ratio>x <baseline>)
// Baselines are measured in the same run on the same machine. `npm run bench -- calendar`
// runs one group.
import { benchBeschikbaarheid } from './beschikbaarheid.js'
import { benchCalendar } from './calendar.js'
import { benchHttp } from './http.js'
import { benchMeldingen } from './meldingen.js'
import { benchRapportage } from './rapportage.js'

const groups: Record<string, () => Promise<void>> = { calendar: benchCalendar, http: benchHttp, meldingen: benchMeldingen, beschikbaarheid: benchBeschikbaarheid, rapportage: benchRapportage }
const asked = process.argv.slice(2).filter((a) => a in groups)
for (const name of asked.length > 0 ? asked : Object.keys(groups)) await groups[name]?.()
