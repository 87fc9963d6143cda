import type { Kysely } from 'kysely'
import type { Database, MeldingRow } from './schema.js'

/** Open (actief) meldingen per priority. */
export async function openMeldingenPerPrioriteit (db: Kysely<Database>): Promise<Array<{ prioriteit: number, n: number }>> {
  const rows = await db.selectFrom('melding').where('actief', '=', true)
    .select(['prioriteit', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('prioriteit').execute()
  return rows.map((r) => ({ prioriteit: r.prioriteit, n: Number(r.n) }))
}

/** A page of the open meldingen, in a stable order. */
export async function openMeldingen (db: Kysely<Database>, page: { offset: number, limit: number }): Promise<MeldingRow[]> {
  return await db.selectFrom('melding').selectAll().where('actief', '=', true).orderBy('id').offset(page.offset).limit(page.limit).execute()
}

/** The koppelingen's inbox: messages per tool and outcome, and the last one received per tool. */
export async function berichtenPerBronEnResultaat (db: Kysely<Database>): Promise<Array<{ bron: string, resultaat: string, n: number, laatste: Date | null }>> {
  const rows = await db.selectFrom('bericht').innerJoin('koppeling', 'koppeling.id', 'bericht.koppeling_id')
    .select(['koppeling.bron as bron', 'bericht.resultaat as resultaat', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.max('bericht.ontvangen_op').as('laatste')])
    .groupBy(['koppeling.bron', 'bericht.resultaat']).execute()
  return rows.map((r) => ({ bron: r.bron, resultaat: r.resultaat, n: Number(r.n), laatste: r.laatste === null ? null : new Date(r.laatste) }))
}

/** How many koppelingen exist per tool. */
export async function koppelingenPerBron (db: Kysely<Database>): Promise<Array<{ bron: string, n: number }>> {
  const rows = await db.selectFrom('koppeling').select(['bron', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('bron').execute()
  return rows.map((r) => ({ bron: r.bron, n: Number(r.n) }))
}
