import { Type, type Static } from 'typebox'
import { SIGNAAL_SOORTEN } from '../../core/index.js'
import { Instant, Uuid } from './common.js'

export const SignaalSoort = Type.Union(SIGNAAL_SOORTEN.map((s) => Type.Literal(s)), { description: 'a kind of signal (README, Signalen)' })
const Email = Type.String({ maxLength: 254, pattern: '^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+$', description: 'an e-mail address' })
const Niveau = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: '1 operationeel, 2 tactisch, 3 strategisch (SLA 6.3)' })

export const NewAbonnementSchema = Type.Object({
  soort: Type.Union([Type.Literal('webhook'), Type.Literal('email'), Type.Literal('escalatie')]),
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'webhook: an https URL (http only for localhost, 127.0.0.1, [::1])' })),
  adressen: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 50, description: 'email: the addresses' })),
  niveau: Type.Optional(Niveau),
  signalen: Type.Optional(Type.Array(SignaalSoort, { minItems: 1, maxItems: 20, description: 'which signals; absent: all' })),
  contract: Type.Optional(Uuid),
  omschrijving: Type.Optional(Type.String({ maxLength: 500 }))
}, { additionalProperties: false })

export const AbonnementSchema = Type.Object({
  id: Uuid,
  soort: Type.Union([Type.Literal('webhook'), Type.Literal('email'), Type.Literal('escalatie')]),
  url: Type.Union([Type.String(), Type.Null()]),
  adressen: Type.Union([Type.Array(Type.String()), Type.Null()]),
  niveau: Type.Union([Niveau, Type.Null()]),
  signalen: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every signal' }),
  contract: Type.Union([Uuid, Type.Null()], { description: 'null: every contract the key that made it may see' }),
  leverancier: Type.Union([Uuid, Type.Null()], { description: 'made with a leverancier key: only its own contracts\' signals' }),
  omschrijving: Type.String(),
  actief: Type.Boolean(),
  aangemaaktOp: Instant,
  geheim: Type.Optional(Type.String({ description: 'only in the answer to POST of a webhook: the Standard Webhooks signing secret `whsec_…`, never shown again' }))
}, { $id: 'Abonnement' })
export type Abonnement = Static<typeof AbonnementSchema>

export const AfleveringSchema = Type.Object({
  id: Uuid,
  abonnement: Uuid,
  signaal: Uuid,
  soort: Type.String({ description: 'the signal\'s kind, or `test`' }),
  melding: Type.Union([Uuid, Type.Null()]),
  op: Instant,
  status: Type.Union([Type.Literal('wachtend'), Type.Literal('afgeleverd'), Type.Literal('mislukt')]),
  pogingen: Type.Integer({ minimum: 0 }),
  volgendePogingOp: Type.Union([Instant, Type.Null()]),
  laatstePogingOp: Type.Union([Instant, Type.Null()]),
  laatsteStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'the receiver\'s HTTP status of the last attempt' }),
  laatsteFout: Type.Union([Type.String(), Type.Null()]),
  afgeleverdOp: Type.Union([Instant, Type.Null()]),
  aangemaaktOp: Instant
}, { $id: 'Aflevering' })
export type Aflevering = Static<typeof AfleveringSchema>

const ContactFields = {
  niveau: Niveau,
  partij: Type.Union([Type.Literal('opdrachtgever'), Type.Literal('opdrachtnemer')]),
  rol: Type.String({ minLength: 1, maxLength: 200 }),
  naam: Type.String({ minLength: 1, maxLength: 200 }),
  email: Email,
  telefoon: Type.Union([Type.String({ minLength: 1, maxLength: 50, pattern: '^[0-9+() -]{1,50}$' }), Type.Null()])
}
const Contact = Type.Object(ContactFields, { additionalProperties: false })

export const PutMatrixSchema = Type.Object({
  contacten: Type.Array(Contact, { minItems: 1, maxItems: 60, description: 'levels 1–3 of both parties, at least one contact each' }),
  geldigVanaf: Type.Optional(Type.String({ format: 'date', description: '`YYYY-MM-DD`, Europe/Amsterdam; default today' }))
}, { additionalProperties: false })

export const EscalatiematrixSchema = Type.Object({
  contract: Uuid,
  versie: Type.Integer({ minimum: 1 }),
  geldigVanaf: Type.String({ format: 'date' }),
  contacten: Type.Array(Type.Object(ContactFields)),
  gewijzigdOp: Instant,
  verouderd: Type.Boolean({ description: 'not confirmed (PUT) for more than a year: "partijen houden dit overzicht actueel" (6.3)' }),
  versies: Type.Array(Type.Object({ versie: Type.Integer({ minimum: 1 }), geldigVanaf: Type.String({ format: 'date' }), gewijzigdOp: Instant }), { description: 'every version, oldest first' })
}, { $id: 'Escalatiematrix' })
export type Escalatiematrix = Static<typeof EscalatiematrixSchema>
