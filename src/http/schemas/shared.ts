import { ProblemSchema } from './common.js'
import { ContractSchema, VoorwaardenVersieSchema } from './contracten.js'
import { DienstSchema, OnderhoudSchema, UitsluitingSchema } from './diensten.js'
import { GebeurtenisSchema, MeldingSchema, SlaSchema } from './meldingen.js'
import { UitlegSchema } from './kalender.js'
import { BerichtSchema, BerichtUitkomstSchema, ImportSchema, KoppelingSchema } from './koppelingen.js'
import { LeverancierSchema } from './leveranciers.js'
import { GebruikersopgaveSchema, RapportageItemSchema, RapportageSchema, RestoretestSchema } from './rapportages.js'
import { SleutelSchema } from './sleutels.js'
import { VERPLICHTINGEN_SCHEMAS } from './verplichtingen.js'
import { AbonnementSchema, AfleveringSchema, EscalatiematrixSchema } from './signalen.js'

/**
 * The schemas with an `$id`, referred to as `Type.Ref('Name')` and listed under the OpenAPI
 * components. They are added once, on the root instance: a child context that calls
 * `addSchema` gets a fresh schema controller and would lose the app's validator compiler.
 */
export const SHARED_SCHEMAS = [ProblemSchema, LeverancierSchema, SleutelSchema, UitlegSchema, VoorwaardenVersieSchema, ContractSchema, SlaSchema, MeldingSchema, GebeurtenisSchema, DienstSchema, UitsluitingSchema, OnderhoudSchema, RapportageSchema, RapportageItemSchema, GebruikersopgaveSchema, RestoretestSchema, KoppelingSchema, BerichtSchema, BerichtUitkomstSchema, ...VERPLICHTINGEN_SCHEMAS, AbonnementSchema, AfleveringSchema, EscalatiematrixSchema, ImportSchema]
