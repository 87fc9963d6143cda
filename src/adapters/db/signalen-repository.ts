import { sql, type Kysely, type Transaction } from 'kysely'
import type { Scope } from './contracten-repository.js'
import type {
  AbonnementRow, AbonnementSoort, AfleveringRow, AfleveringStatus, Database, EscalatieContact, EscalatiematrixRow, MeldingRow, SignaalRow, StoredSignaalSoort
} from './schema.js'

type Db = Kysely<Database> | Transaction<Database>

// ---------------------------------------------------------------- escalatiematrix (SLA 6.3)

export async function matrixVersions (db: Db, contractId: string): Promise<EscalatiematrixRow[]> {
  return await db.selectFrom('escalatiematrix').selectAll().where('contract_id', '=', contractId).orderBy('versie').execute()
}

/** Adds a version; the contract row is locked first, so concurrent PUTs get consecutive numbers. */
export async function addMatrix (trx: Transaction<Database>, contractId: string, geldigVanaf: string, contacten: readonly EscalatieContact[], now: Date, keyId: string | null): Promise<number> {
  await sql`select id from contract where id = ${contractId} for update`.execute(trx)
  const last = await trx.selectFrom('escalatiematrix').select((eb) => eb.fn.max('versie').as('v')).where('contract_id', '=', contractId).executeTakeFirst()
  const versie = Number(last?.v ?? 0) + 1
  await trx.insertInto('escalatiematrix').values({ contract_id: contractId, versie, geldig_vanaf: geldigVanaf, contacten: JSON.stringify(contacten), aangemaakt_op: now, aangemaakt_door: keyId }).execute()
  return versie
}

/** The e-mail addresses of one level of both parties in the contract's latest matrix. */
export async function escalatieAdressen (db: Db, contractId: string, niveau: number): Promise<string[]> {
  const last = await db.selectFrom('escalatiematrix').select('contacten').where('contract_id', '=', contractId).orderBy('versie', 'desc').limit(1).executeTakeFirst()
  return [...new Set((last?.contacten ?? []).filter((c) => c.niveau === niveau).map((c) => c.email))]
}

// ---------------------------------------------------------------- abonnementen

export interface NewAbonnementRow {
  soort: AbonnementSoort
  url: string | null
  adressen: string[] | null
  niveau: number | null
  signalen: StoredSignaalSoort[] | null
  contractId: string | null
  leverancierId: string | null
  omschrijving: string
  geheim: Buffer | null
  now: Date
  keyId: string | null
}

export async function insertAbonnement (db: Db, a: NewAbonnementRow): Promise<AbonnementRow> {
  return await db.insertInto('abonnement').values({
    soort: a.soort, url: a.url, adressen: a.adressen, niveau: a.niveau, signalen: a.signalen, contract_id: a.contractId,
    leverancier_id: a.leverancierId, omschrijving: a.omschrijving, geheim_versleuteld: a.geheim, aangemaakt_op: a.now, aangemaakt_door: a.keyId
  }).returningAll().executeTakeFirstOrThrow()
}

/** An abonnement the scope may see: a leverancier key sees those made by its leverancier's keys. */
export async function getAbonnement (db: Db, id: string, scope: Scope): Promise<AbonnementRow | undefined> {
  let q = db.selectFrom('abonnement').selectAll().where('id', '=', id)
  if (scope.leverancierId !== null) q = q.where('leverancier_id', '=', scope.leverancierId)
  return await q.executeTakeFirst()
}

export async function listAbonnementen (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, contract: string | undefined): Promise<{ rows: AbonnementRow[], total: number }> {
  let q = db.selectFrom('abonnement')
  if (scope.leverancierId !== null) q = q.where('leverancier_id', '=', scope.leverancierId)
  if (contract !== undefined) q = q.where('contract_id', '=', contract)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('aangemaakt_op').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

export async function deactivateAbonnement (db: Db, id: string): Promise<void> {
  await db.updateTable('abonnement').set({ actief: false }).where('id', '=', id).execute()
}

// ---------------------------------------------------------------- planning (next signal instant per melding)

export interface Planning { volgende_op: Date | null, verwerkt_tot: Date }

/** Stores the plannings of some meldingen (each locked by this transaction): one statement. */
export async function savePlanning (trx: Transaction<Database>, ps: ReadonlyArray<Planning & { meldingId: string }>): Promise<void> {
  if (ps.length === 0) return
  await trx.insertInto('signaal_planning').values(ps.map((p) => ({ melding_id: p.meldingId, volgende_op: p.volgende_op, verwerkt_tot: p.verwerkt_tot })))
    .onConflict((oc) => oc.column('melding_id').doUpdateSet((eb) => ({ volgende_op: eb.ref('excluded.volgende_op'), verwerkt_tot: eb.ref('excluded.verwerkt_tot') }))).execute()
}

/**
 * Meldingen whose next signal instant has come, locked (FOR UPDATE SKIP LOCKED: another
 * instance's rows are skipped) in a statement of their own, as `lockMelding` does: their events
 * are read in a later statement. With their planning.
 */
export async function lockDuePlanned (trx: Transaction<Database>, now: Date, limit: number): Promise<Array<{ row: MeldingRow, planning: Planning }>> {
  const rows = await trx.selectFrom('signaal_planning as p').innerJoin('melding as m', 'm.id', 'p.melding_id')
    .selectAll('m').select(['p.volgende_op as p_volgende_op', 'p.verwerkt_tot as p_verwerkt_tot'])
    .where('p.volgende_op', '<=', now).orderBy('p.volgende_op').orderBy('p.melding_id').limit(limit)
    .forUpdate(['m']).skipLocked().execute()
  return rows.map(({ p_volgende_op: volgende, p_verwerkt_tot: tot, ...row }) => ({ row, planning: { volgende_op: volgende, verwerkt_tot: tot } }))
}

// ---------------------------------------------------------------- the outbox

export interface NewSignaal {
  sleutel: string
  soort: StoredSignaalSoort
  contractId: string | null
  meldingId: string | null
  op: Date
  gevuurdOp: Date
  kenmerken: Record<string, string>
}

/**
 * Writes signals to the outbox, each once per key (a key already there is skipped), and in the
 * same statement a delivery for each active abonnement that takes it: its soort, its contract,
 * and its leverancier's contracts only (or, for a test send, to `onlyAbonnement` alone).
 * Returns the signals written now.
 */
export async function insertSignalen (trx: Transaction<Database>, signalen: readonly NewSignaal[], now: Date, onlyAbonnement?: string, planning?: Planning & { meldingId: string }): Promise<Array<{ id: string, sleutel: string }>> {
  // A melding's planning in the same statement: its next instant becomes the earlier of the
  // stored and the given one (the job's window is left as it is); a new melding's starts now.
  const plan = planning === undefined
    ? sql``
    : sql`, p as (
      insert into signaal_planning (melding_id, volgende_op, verwerkt_tot) values (${planning.meldingId}, ${planning.volgende_op}, ${planning.verwerkt_tot})
      on conflict (melding_id) do update set volgende_op = least(signaal_planning.volgende_op, excluded.volgende_op)
      returning 1
    )`
  if (signalen.length === 0) {
    if (planning !== undefined) await sql`with x as (select 1) ${plan} select 1`.execute(trx)
    return []
  }
  const json = JSON.stringify(signalen.map((s) => ({
    sleutel: s.sleutel, soort: s.soort, contract_id: s.contractId, melding_id: s.meldingId, op: s.op.toISOString(), gevuurd_op: s.gevuurdOp.toISOString(), kenmerken: s.kenmerken
  })))
  const r = await sql<{ id: string, sleutel: string }>`
    with s as (
      insert into signaal (sleutel, soort, contract_id, melding_id, op, gevuurd_op, kenmerken, aangemaakt_op)
      select x.sleutel, x.soort, x.contract_id, x.melding_id, x.op, x.gevuurd_op, x.kenmerken, ${now}
      from jsonb_to_recordset(${json}::jsonb) as x(sleutel text, soort text, contract_id uuid, melding_id uuid, op timestamptz, gevuurd_op timestamptz, kenmerken jsonb)
      on conflict (sleutel) do nothing
      returning id, sleutel, soort, contract_id
    ), a as (
      insert into aflevering (signaal_id, abonnement_id, status, venster_start, volgende_poging_op, aangemaakt_op)
      select s.id, ab.id, 'wachtend', ${now}, ${now}, ${now}
      -- A join, not a subquery per row: its cost estimate stays far below PostgreSQL's JIT
      -- threshold (a subquery made it compile every statement: 12 ms each).
      from s left join contract c on c.id = s.contract_id
      join abonnement ab on ab.actief and (
        ab.id = ${onlyAbonnement ?? null}::uuid or (
          ${onlyAbonnement ?? null}::uuid is null
          and (ab.signalen is null or s.soort = any(ab.signalen))
          and (ab.contract_id is null or ab.contract_id = s.contract_id)
          and (ab.leverancier_id is null or ab.leverancier_id = c.leverancier_id)))
      returning id
    )${plan}
    select s.id, s.sleutel from s`.execute(trx)
  return r.rows
}

export type AfleveringJoined = AfleveringRow & {
  sig_sleutel: string
  sig_soort: StoredSignaalSoort
  sig_contract_id: string | null
  sig_melding_id: string | null
  sig_op: Date
  sig_kenmerken: Record<string, unknown>
  sig_aangemaakt_op: Date
  ab_soort: AbonnementSoort
  ab_url: string | null
  ab_adressen: string[] | null
  ab_niveau: number | null
  ab_geheim: Uint8Array | null
}

const joined = (db: Db) => db.selectFrom('aflevering as f')
  .innerJoin('signaal as s', 's.id', 'f.signaal_id').innerJoin('abonnement as ab', 'ab.id', 'f.abonnement_id')
  .selectAll('f')
  .select(['s.sleutel as sig_sleutel', 's.soort as sig_soort', 's.contract_id as sig_contract_id', 's.melding_id as sig_melding_id', 's.op as sig_op', 's.kenmerken as sig_kenmerken', 's.aangemaakt_op as sig_aangemaakt_op'])
  .select(['ab.soort as ab_soort', 'ab.url as ab_url', 'ab.adressen as ab_adressen', 'ab.niveau as ab_niveau', 'ab.geheim_versleuteld as ab_geheim'])

/**
 * Claims due deliveries: locks them (SKIP LOCKED, so instances share the work), counts the
 * attempt and moves their next attempt `leaseMs` ahead, then commits. A process that dies while
 * sending leaves them to be tried again when the lease ends: at least once, never lost.
 */
export async function claimDue (db: Kysely<Database>, now: Date, limit: number, leaseMs: number): Promise<AfleveringJoined[]> {
  return await db.transaction().execute(async (trx) => {
    const ids = await trx.selectFrom('aflevering').select('id').where('status', '=', 'wachtend').where('volgende_poging_op', '<=', now)
      .orderBy('volgende_poging_op').orderBy('id').limit(limit).forUpdate().skipLocked().execute()
    if (ids.length === 0) return []
    await trx.updateTable('aflevering').set((eb) => ({ pogingen: eb('pogingen', '+', 1), laatste_poging_op: now, volgende_poging_op: new Date(now.getTime() + leaseMs) }))
      .where('id', 'in', ids.map((x) => x.id)).execute()
    return await joined(trx).where('f.id', 'in', ids.map((x) => x.id)).orderBy('f.volgende_poging_op').execute() as AfleveringJoined[]
  })
}

export async function recordAttempt (db: Db, id: string, r: { status: AfleveringStatus, volgende: Date | null, httpStatus: number | null, fout: string | null, afgeleverdOp: Date | null }): Promise<void> {
  await db.updateTable('aflevering').set({
    status: r.status, volgende_poging_op: r.volgende, laatste_status: r.httpStatus, laatste_fout: r.fout === null ? null : r.fout.slice(0, 2000), afgeleverd_op: r.afgeleverdOp
  }).where('id', '=', id).execute()
}

export async function listAfleveringen (db: Kysely<Database>, abonnementId: string, page: { offset: number, limit: number }, status: AfleveringStatus | undefined): Promise<{ rows: AfleveringJoined[], total: number }> {
  let q = joined(db).where('f.abonnement_id', '=', abonnementId)
  let c = db.selectFrom('aflevering').where('abonnement_id', '=', abonnementId)
  if (status !== undefined) { q = q.where('f.status', '=', status); c = c.where('status', '=', status) }
  const [rows, count] = await Promise.all([
    q.orderBy('f.aangemaakt_op').orderBy('f.id').offset(page.offset).limit(page.limit).execute(),
    c.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows: rows as AfleveringJoined[], total: Number(count.n) }
}

export async function getAflevering (db: Db, abonnementId: string, id: string): Promise<AfleveringJoined | undefined> {
  return await joined(db).where('f.abonnement_id', '=', abonnementId).where('f.id', '=', id).executeTakeFirst() as AfleveringJoined | undefined
}

/** Sends a delivery again from now: a new 24-hour window of attempts. */
export async function resendAflevering (db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('aflevering').set({ status: 'wachtend', venster_start: now, volgende_poging_op: now, afgeleverd_op: null }).where('id', '=', id).execute()
}

export type { SignaalRow }
