import { slaCalendar } from '../../../src/adapters/holidays/sla-calendars.js'
import { computeSla, parseInstant, STANDAARD_NORMEN, type Gebeurtenis, type MeldingFeiten, type SlaContext, type SlaState } from '../../../src/core/index.js'

export const ctx: SlaContext = { normen: STANDAARD_NORMEN, calendar: (k) => slaCalendar(k) }
export const at = (s: string): number => parseInstant(s)

let n = 0
export const ev = (type: Gebeurtenis['type'], op: string, extra: Partial<Gebeurtenis> = {}): Gebeurtenis =>
  ({ id: `e${++n}`, type, op: at(op), ...extra })

export function sla (f: Partial<MeldingFeiten> & { gemeldOp: number }, peil: string | number): SlaState {
  return computeSla({ type: 'verstoring', omgeving: 'productie', gevraagdePrioriteit: 2, gebeurtenissen: [], ...f }, ctx, typeof peil === 'number' ? peil : at(peil))
}
