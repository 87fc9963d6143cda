-- Availability (issue 5): diensten, their samples stored as runs, hourly response times,
-- exclusions and maintenance. Frozen: never edit a migration that has shipped; add one.

create table dienst (
  id              uuid primary key default gen_random_uuid(),
  contract_id     uuid not null references contract (id),
  naam            text not null check (length(naam) between 1 and 200),
  omgeving        text not null check (omgeving in ('productie', 'test')),
  meetinterval_ms integer not null check (meetinterval_ms between 1000 and 86400000 and meetinterval_ms % 1000 = 0),
  aangemaakt_op   timestamptz not null default now(),
  aangemaakt_door uuid references sleutel (id)
);
create index dienst_contract_idx on dienst (contract_id);

-- Samples are stored by change, not one row each: a run of consecutive samples of one state
-- within one UTC day, with its sample instants (to the second) delta-encoded (R-BES-2). `van`
-- and `tot` are its first and last sample, all the month computation reads.
create table meetreeks (
  dienst_id   uuid not null references dienst (id),
  van         timestamptz not null,
  tot         timestamptz not null,
  beschikbaar boolean not null,
  aantal      integer not null check (aantal >= 1),
  tijdstippen bytea not null,
  primary key (dienst_id, van)
);

-- Response times per hour of the service window (R-BES-7 counts only the window's samples):
-- count, sum and a log-scale histogram. Amsterdam's offsets are whole hours, so a UTC hour is a
-- local hour; hours outside 07:00–23:00 are not kept.
create table responstijd_uur (
  dienst_id uuid not null references dienst (id),
  uur       timestamptz not null,
  aantal    integer not null,
  som_ms    double precision not null,
  histogram bytea not null,
  primary key (dienst_id, uur)
);

create table uitsluiting (
  id            uuid primary key default gen_random_uuid(),
  dienst_id     uuid not null references dienst (id),
  van           timestamptz not null,
  tot           timestamptz not null check (tot > van),
  reden         text not null check (reden in ('verzoek-gemeente', 'gemeentelijke-infrastructuur')),
  toelichting   text not null default '' check (length(toelichting) <= 4000),
  aangemaakt_op timestamptz not null default now(),
  sleutel_id    uuid references sleutel (id)
);
create index uitsluiting_dienst_idx on uitsluiting (dienst_id, van);

create table onderhoud (
  id            uuid primary key default gen_random_uuid(),
  dienst_id     uuid not null references dienst (id),
  van           timestamptz not null,
  tot           timestamptz not null check (tot > van),
  soort         text not null check (soort in ('onderhoud', 'upgrade', 'update')),
  omgeving      text not null check (omgeving in ('productie', 'test')),
  toelichting   text not null default '' check (length(toelichting) <= 4000),
  aangemaakt_op timestamptz not null default now(),
  sleutel_id    uuid references sleutel (id)
);
create index onderhoud_dienst_idx on onderhoud (dienst_id, van);

create trigger dienst_niet_verwijderen before delete on dienst for each statement execute function weiger_verwijderen();
create trigger uitsluiting_niet_verwijderen before delete on uitsluiting for each statement execute function weiger_verwijderen();
create trigger onderhoud_niet_verwijderen before delete on onderhoud for each statement execute function weiger_verwijderen();
