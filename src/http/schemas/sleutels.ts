import { Type, type Static } from 'typebox'
import { Instant, Uuid } from './common.js'

export const Rol = Type.Enum(['beheerder', 'lezer', 'leverancier', 'monitor'], {
  description: '`beheerder`: the gemeente, everything; `lezer`: the gemeente, read-only; `leverancier`: only its own leverancier\'s contracts; `monitor`: only writing metingen of its diensten'
})

export const SleutelSchema = Type.Object({
  id: Uuid,
  rol: Rol,
  leverancier: Type.Union([Uuid, Type.Null()]),
  diensten: Type.Array(Uuid),
  omschrijving: Type.String(),
  prefix: Type.String({ description: 'the first characters of the key, to recognise it' }),
  aangemaaktOp: Instant,
  ingetrokkenOp: Type.Union([Instant, Type.Null()])
}, { $id: 'Sleutel' })
export type Sleutel = Static<typeof SleutelSchema>

export const NewSleutelSchema = Type.Object({
  rol: Rol,
  leverancier: Type.Optional(Uuid),
  diensten: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })),
  omschrijving: Type.Optional(Type.String({ maxLength: 500 }))
}, { additionalProperties: false })

export const CreatedSleutelSchema = Type.Object({
  ...SleutelSchema.properties,
  sleutel: Type.String({ description: 'the secret: shown this once, stored only as a hash' })
})
