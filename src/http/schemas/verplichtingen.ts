import { Type, type Static } from 'typebox'
import { DOCUMENT_SOORTEN, OVERLEG_NIVEAUS, TPM_TYPES, VERPLICHTING_SOORTEN, VERPLICHTING_STATUSSEN } from '../../core/index.js'
import { Instant, PaginationQuery, Uuid } from './common.js'
import { Duur } from './kalender.js'

/**
 * A date of the SLA's other obligations (Europe/Amsterdam), in the years 1970–2198: every due
 * date computed from it (5 werkdagen, 12 months) stays inside the calendar's years (1970–2199).
 */
const Datum = (description: string) => Type.String({ format: 'date', pattern: '^(19[7-9][0-9]|20[0-9]{2}|21[0-8][0-9]|219[0-8])-', description: `${description}; YYYY-MM-DD, years 1970–2198`, examples: ['2026-04-30'] })
const Toelichting = Type.Optional(Type.String({ maxLength: 4000 }))

export const VerplichtingSoortSchema = Type.Enum([...VERPLICHTING_SOORTEN], { description: 'R-VPL-1 upgradebeleid; R-VPL-2 acceptatie (of a release); R-VPL-3 overleg-… and verslag; R-VPL-4 tpm, iso27001; R-VPL-5 restoretest; R-VPL-6 exit-…' })
export const VerplichtingStatusSchema = Type.Enum([...VERPLICHTING_STATUSSEN], {
  description: '`open`: not met, not yet due; `op-tijd`: met before the due instant; `te-laat`: met at or after it; `verlopen`: due and still missing; for a release (acceptatie): `te-vroeg`, on production before acceptance (a breach of 3.7), and `afgekeurd`, rejected and not installed'
})

export const NewOverlegSchema = Type.Object({
  niveau: Type.Enum([...OVERLEG_NIVEAUS]),
  datum: Datum('the day of the meeting; records with the same niveau and datum are one overleg'),
  verslagOntvangenOp: Type.Optional(Instant),
  toelichting: Toelichting
}, { additionalProperties: false })
export const OverlegSchema = Type.Object({
  id: Uuid, contract: Uuid, niveau: Type.Enum([...OVERLEG_NIVEAUS]), datum: Type.String({ format: 'date' }),
  verslagOntvangenOp: Type.Union([Instant, Type.Null()]), toelichting: Type.String(), aangemaaktOp: Instant
}, { $id: 'Overleg' })

export const NewReleaseSchema = Type.Object({
  kenmerk: Type.String({ minLength: 1, maxLength: 200, description: 'the release or patch; later facts about it are new records with the same kenmerk' }),
  soort: Type.Optional(Type.Enum(['upgrade', 'update'])),
  opTestOp: Type.Optional(Instant),
  geaccepteerdOp: Type.Optional(Instant),
  afgekeurdOp: Type.Optional(Instant),
  beslotenDoor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'who accepted or rejected it for the gemeente' })),
  inProductieVan: Type.Optional(Instant),
  inProductieTot: Type.Optional(Instant),
  toelichting: Toelichting
}, { additionalProperties: false })
const OrNull = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()])
export const ReleaseSchema = Type.Object({
  id: Uuid, contract: Uuid, kenmerk: Type.String(), soort: Type.Union([Type.Enum(['upgrade', 'update']), Type.Null()]),
  opTestOp: OrNull(Instant), geaccepteerdOp: OrNull(Instant), afgekeurdOp: OrNull(Instant), beslotenDoor: Type.Union([Type.String(), Type.Null()]),
  inProductieVan: OrNull(Instant), inProductieTot: OrNull(Instant), toelichting: Type.String(), aangemaaktOp: Instant
}, { $id: 'Release' })

export const NewDocumentSchema = Type.Object({
  soort: Type.Enum([...DOCUMENT_SOORTEN]),
  ontvangenOp: Instant,
  jaar: Type.Optional(Type.Integer({ minimum: 1970, maximum: 2199, description: 'upgradebeleid: the year it is for (required, and only there)' })),
  type: Type.Optional(Type.Enum([...TPM_TYPES], { description: 'tpm: ISAE 3000 or ISAE 3402 (required, and only there)' })),
  periodeVan: Type.Optional(Datum('tpm: the first day of the period it covers (required, and only there)')),
  periodeTot: Type.Optional(Datum('tpm: the last day of the period it covers (required, and only there)')),
  geldigTot: Type.Optional(Datum('iso27001: the certificate\'s last valid day (required, and only there)')),
  toelichting: Toelichting
}, { additionalProperties: false })
export const DocumentSchema = Type.Object({
  id: Uuid, contract: Uuid, soort: Type.Enum([...DOCUMENT_SOORTEN]), ontvangenOp: Instant,
  jaar: Type.Union([Type.Integer(), Type.Null()]), type: Type.Union([Type.Enum([...TPM_TYPES]), Type.Null()]),
  periodeVan: Type.Union([Type.String({ format: 'date' }), Type.Null()]), periodeTot: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  geldigTot: Type.Union([Type.String({ format: 'date' }), Type.Null()]), toelichting: Type.String(), aangemaaktOp: Instant
}, { $id: 'Document' })

export const NewExitSchema = Type.Object({
  einddatum: Type.Optional(Datum('the end date of the hoofdovereenkomst')),
  overbruggingAangevraagdOp: Type.Optional(Instant),
  overdrachtBevestigdOp: Type.Optional(Instant),
  vernietigingsverklaringOp: Type.Optional(Instant),
  toelichting: Toelichting
}, { additionalProperties: false })
export const ExitSchema = Type.Object({
  id: Uuid, contract: Uuid, einddatum: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  overbruggingAangevraagdOp: OrNull(Instant), overdrachtBevestigdOp: OrNull(Instant), vernietigingsverklaringOp: OrNull(Instant),
  toelichting: Type.String(), aangemaaktOp: Instant
}, { $id: 'ExitMijlpaal' })

export const VerplichtingSchema = Type.Object({
  contract: Uuid,
  contractNaam: Type.String(),
  soort: VerplichtingSoortSchema,
  onderwerp: Type.String({ description: 'what it is about, stable per obligation: a year (`2026`, `2026 #2`), a quarter, a release\'s kenmerk, an overleg (`operationeel 2026-04-30`), a due date' }),
  verwachtOp: Instant,
  verwachtDatum: Type.String({ format: 'date', description: 'the due date, whose 24:00 (Europe/Amsterdam) is verwachtOp; for a release the date of its acceptance' }),
  vervuldOp: Type.Union([Instant, Type.Null()], { description: 'when it was met (a release: installed on production), as known at the peilmoment' }),
  status: VerplichtingStatusSchema,
  inbreuk: Type.Boolean({ description: 'te-laat, verlopen or te-vroeg' }),
  dagenTeLaat: Type.Integer({ minimum: 0, description: 'calendar days from the due date to the date met, or to the peilmoment\'s date while verlopen' }),
  teLaat: Duur,
  regel: Type.String({ description: 'the rule of SLA-RULES §12 it follows' }),
  bronnen: Type.Array(Uuid, { description: 'the records it is read from' }),
  uitleg: Type.String({ description: 'in words: why it is due then (werkdagen counted, holidays skipped) and how it stands' })
}, { $id: 'Verplichting' })
export type Verplichting = Static<typeof VerplichtingSchema>

export const VerplichtingenQuery = Type.Object({
  ...PaginationQuery,
  peilmoment: Type.Optional(Instant),
  status: Type.Optional(VerplichtingStatusSchema),
  soort: Type.Optional(VerplichtingSoortSchema)
}, { additionalProperties: false })

export const VERPLICHTINGEN_SCHEMAS = [OverlegSchema, ReleaseSchema, DocumentSchema, ExitSchema, VerplichtingSchema]

/** The quarterly report's section "Overige afspraken" (issue 15): reported, not part of the verdict. */
export const OverigeAfsprakenSchema = Type.Object({
  teltMeeInOordeel: Type.Literal(false, { description: 'always false: the SLA names no penalty for these obligations, so they are reported and never change the verdict' }),
  peilmoment: Type.Unsafe<string>({ ...Instant, description: 'the states are read at the quarter\'s end, or when a voorlopig report was made' }),
  aantal: Type.Integer({ minimum: 0 }),
  inbreuken: Type.Integer({ minimum: 0, description: 'te-laat, verlopen or te-vroeg' }),
  perStatus: Type.Array(Type.Object({ status: VerplichtingStatusSchema, aantal: Type.Integer({ minimum: 1 }) })),
  afspraken: Type.Array(Type.Object({
    soort: VerplichtingSoortSchema,
    onderwerp: Type.String(),
    verwachtOp: Instant,
    verwachtDatum: Type.String({ format: 'date' }),
    vervuldOp: Type.Union([Instant, Type.Null()]),
    status: VerplichtingStatusSchema,
    inbreuk: Type.Boolean(),
    dagenTeLaat: Type.Integer({ minimum: 0 }),
    regel: Type.String(),
    uitleg: Type.String()
  }), { description: 'the obligations due in the quarter (restore tests have their own section) and the releases installed on production before acceptance in it' })
}, { description: 'SLA-RULES §12: absent in reports made before this section existed' })
