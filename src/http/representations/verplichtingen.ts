import { formatDuration, formatInstant, SLA_TIME_ZONE, verplichtingWeergave } from '../../core/index.js'
import type { ContractVerplichting, DocumentRow, ExitMijlpaalRow, OverlegRow, ReleaseRow } from '../../services/verplichtingen.js'
import type { Verplichting } from '../schemas/verplichtingen.js'

const at = (d: Date | null): string | null => (d === null ? null : formatInstant(d.getTime()))

/** An obligation as the API shows it: the report's shape, with its contract, the time late and its records. */
export function verplichtingToApi (v: ContractVerplichting): Verplichting {
  return { contract: v.contract, contractNaam: v.contractNaam, ...verplichtingWeergave(v, SLA_TIME_ZONE), teLaat: formatDuration(v.teLaat), bronnen: [...v.bronnen] }
}

export const overlegToApi = (r: OverlegRow) => ({
  id: r.id, contract: r.contract_id, niveau: r.niveau, datum: r.datum, verslagOntvangenOp: at(r.verslag_ontvangen_op), toelichting: r.toelichting, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})
export const releaseToApi = (r: ReleaseRow) => ({
  id: r.id, contract: r.contract_id, kenmerk: r.kenmerk, soort: r.soort, opTestOp: at(r.op_test_op), geaccepteerdOp: at(r.geaccepteerd_op), afgekeurdOp: at(r.afgekeurd_op),
  beslotenDoor: r.besloten_door, inProductieVan: at(r.in_productie_van), inProductieTot: at(r.in_productie_tot), toelichting: r.toelichting, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})
export const documentToApi = (r: DocumentRow) => ({
  id: r.id, contract: r.contract_id, soort: r.soort, ontvangenOp: formatInstant(r.ontvangen_op.getTime()), jaar: r.jaar, type: r.type,
  periodeVan: r.periode_van, periodeTot: r.periode_tot, geldigTot: r.geldig_tot, toelichting: r.toelichting, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})
export const exitToApi = (r: ExitMijlpaalRow) => ({
  id: r.id, contract: r.contract_id, einddatum: r.einddatum, overbruggingAangevraagdOp: at(r.overbrugging_aangevraagd_op), overdrachtBevestigdOp: at(r.overdracht_bevestigd_op),
  vernietigingsverklaringOp: at(r.vernietigingsverklaring_op), toelichting: r.toelichting, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})
