-- Foundation: suppliers and API keys. Frozen: never edit a migration that has shipped; add one.

create table leverancier (
  id            uuid primary key default gen_random_uuid(),
  naam          text not null check (length(naam) between 1 and 200),
  kvk_nummer    text check (kvk_nummer ~ '^[0-9]{8}$'),
  aangemaakt_op timestamptz not null default now()
);

create table sleutel (
  id              uuid primary key default gen_random_uuid(),
  rol             text not null check (rol in ('beheerder', 'lezer', 'leverancier', 'monitor')),
  leverancier_id  uuid references leverancier (id),
  diensten        uuid[] not null default '{}',
  omschrijving    text not null default '' check (length(omschrijving) <= 500),
  hash            text not null unique check (hash ~ '^[0-9a-f]{64}$'),
  prefix          text not null,
  aangemaakt_op   timestamptz not null default now(),
  aangemaakt_door uuid references sleutel (id),
  ingetrokken_op  timestamptz,
  -- a leverancier key belongs to exactly one leverancier; no other key has one
  check ((rol = 'leverancier') = (leverancier_id is not null)),
  check (rol = 'monitor' or cardinality(diensten) = 0)
);

create index sleutel_leverancier_idx on sleutel (leverancier_id);

-- Keys are revoked, never deleted: who did what stays traceable.
create function weiger_verwijderen() returns trigger language plpgsql as $$
begin
  raise exception 'rows of % are never deleted (SLA 2.5)', tg_table_name using errcode = 'restrict_violation';
end;
$$;

create trigger sleutel_niet_verwijderen before delete on sleutel
  for each statement execute function weiger_verwijderen();
