import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/** Timestamps: Date when read, Date or ISO string when written. */
type Timestamp = ColumnType<Date, Date | string, Date | string>

export interface LeverancierTable {
  id: Generated<string>
  naam: string
  kvk_nummer: string | null
  aangemaakt_op: ColumnType<Date, Date | string | undefined, Date | string>
}

export type SleutelRol = 'beheerder' | 'lezer' | 'leverancier' | 'monitor'

export interface SleutelTable {
  id: Generated<string>
  rol: SleutelRol
  leverancier_id: string | null
  diensten: ColumnType<string[], string[] | undefined, string[]>
  omschrijving: string
  /** SHA-256 (hex) of the secret; the secret itself is never stored. */
  hash: string
  /** The secret's first characters, so that a person can recognise a key in a list. */
  prefix: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, Date | string>
  aangemaakt_door: string | null
  ingetrokken_op: Timestamp | null
}

export interface Database {
  leverancier: LeverancierTable
  sleutel: SleutelTable
}

export type LeverancierRow = Selectable<LeverancierTable>
export type SleutelRow = Selectable<SleutelTable>
export type NewSleutel = Insertable<SleutelTable>
