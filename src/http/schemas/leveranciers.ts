import { Type, type Static } from 'typebox'
import { Instant, Uuid } from './common.js'

export const LeverancierSchema = Type.Object({
  id: Uuid,
  naam: Type.String(),
  kvkNummer: Type.Union([Type.String(), Type.Null()]),
  aangemaaktOp: Instant
}, { $id: 'Leverancier' })
export type Leverancier = Static<typeof LeverancierSchema>

export const NewLeverancierSchema = Type.Object({
  naam: Type.String({ minLength: 1, maxLength: 200, description: 'the supplier\'s name' }),
  kvkNummer: Type.Optional(Type.String({ pattern: '^[0-9]{8}$', description: 'the 8-digit number of the Kamer van Koophandel' }))
}, { additionalProperties: false })
