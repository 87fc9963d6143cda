import type { MeldingType, Omgeving, Prioriteit } from './types.js'

export interface PriorityDecision {
  readonly prioriteit: Prioriteit
  /** Why: the rule that decided it. */
  readonly regel: 'R-PRI-4' | 'R-PRI-2' | 'R-PRI-3' | 'gevraagd'
}

/**
 * The priority in force for a melding, given the asked priority (or a later priority change):
 * - R-PRI-4: omgeving `test` is always 4, whatever was asked;
 * - R-PRI-2: a `beveiligingsincident` is always 1;
 * - R-PRI-3: a vraag, wens or opdracht without a priority is 3;
 * - otherwise the asked one. A verstoring without any priority is read as 3 as well (the
 *   API requires one for verstoringen, so this only guards the core).
 * A later `prioriteit` event passes through the same rules, so a test melding stays 4 and a
 * security incident stays 1 even when someone changes its priority (the event is still kept).
 */
export function effectivePriority (type: MeldingType, omgeving: Omgeving, asked: Prioriteit | undefined): PriorityDecision {
  if (omgeving === 'test') return { prioriteit: 4, regel: 'R-PRI-4' }
  if (type === 'beveiligingsincident') return { prioriteit: 1, regel: 'R-PRI-2' }
  if (asked === undefined) return { prioriteit: 3, regel: 'R-PRI-3' }
  return { prioriteit: asked, regel: 'gevraagd' }
}
