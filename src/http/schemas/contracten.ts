import { Type, type Static } from 'typebox'
import { Instant, Uuid } from './common.js'
import { Duur, Kalender } from './kalender.js'

const Prioriteit = Type.Integer({ minimum: 1, maximum: 4, description: '1 (zeer hoog) … 4 (laag)' })

export const NormSchema = Type.Object({
  prioriteit: Prioriteit,
  reactietijd: Type.Union([Duur, Type.Null()], { description: 'null: no reactie norm (prio 1 is reported by phone)' }),
  functiehersteltijd: Duur,
  voortgang: Type.Union([Duur, Type.Null()], { description: 'cadence of progress updates (3.4); null: none due' }),
  kalender: Kalender
}, { additionalProperties: false })

const GeslotenDag = Type.Object({ datum: Type.String({ format: 'date' }), naam: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })

/** The fields of one version of a contract's terms. */
const termFields = {
  normen: Type.Array(NormSchema, { minItems: 4, maxItems: 4, description: 'one norm per prioriteit 1–4 (default: the standard SLA, SLA-RULES §4)' }),
  automatischSluitenNa: Type.Optional(Duur),
  prestatienorm: Type.Number({ minimum: 0, maximum: 1, description: 'R-KPI-3 (default 0.85)' }),
  beschikbaarheidsnorm: Type.Number({ minimum: 0, maximum: 1, description: 'R-BES-5 (default 0.98)' }),
  extraGeslotenDagen: Type.Array(GeslotenDag, { maxItems: 366, description: 'extra closed days (R-CAL-2)' })
}

export const VoorwaardenVersieSchema = Type.Object({
  versie: Type.Integer({ minimum: 1 }),
  geldigVanaf: Type.String({ format: 'date', description: 'from this date (Europe/Amsterdam) on, meldingen are judged by this version' }),
  normen: termFields.normen,
  automatischSluitenNa: Duur,
  prestatienorm: termFields.prestatienorm,
  beschikbaarheidsnorm: termFields.beschikbaarheidsnorm,
  extraGeslotenDagen: termFields.extraGeslotenDagen
}, { $id: 'VoorwaardenVersie' })

export const ContractSchema = Type.Object({
  id: Uuid,
  leverancier: Uuid,
  naam: Type.String(),
  normen: termFields.normen,
  automatischSluitenNa: Duur,
  prestatienorm: termFields.prestatienorm,
  beschikbaarheidsnorm: termFields.beschikbaarheidsnorm,
  extraGeslotenDagen: termFields.extraGeslotenDagen,
  geldigVanaf: Type.String({ format: 'date', description: 'of the latest version, whose terms the fields above show' }),
  versies: Type.Array(Type.Ref('VoorwaardenVersie'), { description: 'every version of the terms, oldest first; none is ever changed' }),
  aangemaaktOp: Instant
}, { $id: 'Contract' })
export type Contract = Static<typeof ContractSchema>

/** The terms a create or a change may set; what is left out stays (or is the standard SLA's). */
const optionalTerms = {
  normen: Type.Optional(termFields.normen),
  automatischSluitenNa: Type.Optional(Duur),
  prestatienorm: Type.Optional(termFields.prestatienorm),
  beschikbaarheidsnorm: Type.Optional(termFields.beschikbaarheidsnorm),
  extraGeslotenDagen: Type.Optional(termFields.extraGeslotenDagen)
}

export const NewContractSchema = Type.Object({
  leverancier: Uuid,
  naam: Type.String({ minLength: 1, maxLength: 200 }),
  geldigVanaf: Type.Optional(Type.String({ format: 'date', description: 'default 1970-01-01: the terms hold from the start' })),
  ...optionalTerms
}, { additionalProperties: false })

export const PatchContractSchema = Type.Object({
  naam: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  geldigVanaf: Type.Optional(Type.String({ format: 'date', description: 'required with any change of terms: from when the new version holds' })),
  ...optionalTerms
}, { additionalProperties: false, minProperties: 1 })

