import type { Kysely } from 'kysely'
import { berichtenPerBronEnResultaat, koppelingenPerBron, openMeldingen, openMeldingenPerPrioriteit } from '../adapters/db/metrics-repository.js'
import type { Database } from '../adapters/db/schema.js'
import type { Instant } from '../core/index.js'
import { viewsOf } from './meldingen.js'

export type KlokNaam = 'reactie' | 'functieherstel'

/** What /metrics reports of the data at one instant (the rest, HTTP and jobs, the process counts itself). */
export interface Bedrijfsmetrieken {
  /** Open meldingen per priority 1–4 (zero included). */
  readonly openPerPrioriteit: ReadonlyArray<{ prioriteit: number, n: number }>
  /** The clocks of the open meldingen at `now`: per clock, priority and status (lopend, gepauzeerd, verlopen, behaald, nvt). */
  readonly klokken: ReadonlyArray<{ klok: KlokNaam, prioriteit: number, status: string, n: number }>
  /** Running clocks with less than the risk share of their norm left (the `risico` of the sla block). */
  readonly klokkenMetRisico: ReadonlyArray<{ klok: KlokNaam, prioriteit: number, n: number }>
  /** The koppelingen's inbox: messages per tool and outcome (verwerkt, dubbel, fout), and the last received. */
  readonly berichten: ReadonlyArray<{ bron: string, resultaat: string, n: number, laatsteOntvangen: Instant | null }>
  readonly koppelingen: ReadonlyArray<{ bron: string, n: number }>
}

const PAGE = 500

/**
 * The figures of the data for /metrics: open meldingen per priority from the derived columns, and
 * the clocks of every open melding computed at `now` by the core, as `GET /meldingen/{id}` shows
 * them (in pages, so memory stays bounded); the koppelingen's inbox per tool and outcome.
 */
export async function bedrijfsmetrieken (db: Kysely<Database>, now: Instant): Promise<Bedrijfsmetrieken> {
  const [perPrio, berichten, koppelingen] = await Promise.all([openMeldingenPerPrioriteit(db), berichtenPerBronEnResultaat(db), koppelingenPerBron(db)])
  const klokken = new Map<string, number>()
  const risico = new Map<string, number>()
  const bump = (m: Map<string, number>, k: string): void => { m.set(k, (m.get(k) ?? 0) + 1) }
  for (let offset = 0; ; offset += PAGE) {
    const rows = await openMeldingen(db, { offset, limit: PAGE })
    for (const v of await viewsOf(db, rows, undefined, now)) {
      for (const klok of ['reactie', 'functieherstel'] as const) {
        const k = v.state[klok]
        bump(klokken, `${klok}|${v.state.prioriteit}|${k.status}`)
        if (k.risico) bump(risico, `${klok}|${v.state.prioriteit}`)
      }
    }
    if (rows.length < PAGE) break
  }
  const split = (key: string): [KlokNaam, number, string] => {
    const [klok, prio, status] = key.split('|') as [KlokNaam, string, string]
    return [klok, Number(prio), status]
  }
  return {
    openPerPrioriteit: [1, 2, 3, 4].map((p) => ({ prioriteit: p, n: perPrio.find((r) => r.prioriteit === p)?.n ?? 0 })),
    klokken: [...klokken].map(([key, n]) => { const [klok, prioriteit, status] = split(key); return { klok, prioriteit, status, n } }),
    klokkenMetRisico: (['reactie', 'functieherstel'] as const).flatMap((klok) => [1, 2, 3, 4].map((p) => ({ klok, prioriteit: p, n: risico.get(`${klok}|${p}`) ?? 0 }))),
    berichten: berichten.map((b) => ({ bron: b.bron, resultaat: b.resultaat, n: b.n, laatsteOntvangen: b.laatste === null ? null : b.laatste.getTime() })),
    koppelingen
  }
}
