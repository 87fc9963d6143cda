-- Contracts with norms versioned by date, meldingen and their events (issue 4).
-- Frozen: never edit a migration that has shipped; add one.

create table contract (
  id             uuid primary key default gen_random_uuid(),
  leverancier_id uuid not null references leverancier (id),
  naam           text not null check (length(naam) between 1 and 200),
  aangemaakt_op  timestamptz not null default now(),
  aangemaakt_door uuid references sleutel (id)
);
create index contract_leverancier_idx on contract (leverancier_id);

-- Every change of norms is a new version from a date on; earlier versions stay, so a melding is
-- always judged by the norms in force at its gemeld_op.
create table contract_normen (
  contract_id     uuid not null references contract (id),
  versie          integer not null check (versie >= 1),
  geldig_vanaf    date not null,
  normen          jsonb not null,
  aangemaakt_op   timestamptz not null default now(),
  aangemaakt_door uuid references sleutel (id),
  primary key (contract_id, versie),
  unique (contract_id, geldig_vanaf)
);

create table melding (
  id                     uuid primary key default gen_random_uuid(),
  contract_id            uuid not null references contract (id),
  kenmerk                text not null check (length(kenmerk) between 1 and 200),
  onderwerp              text not null check (length(onderwerp) <= 1000),
  type                   text not null check (type in ('verstoring', 'beveiligingsincident', 'vraag', 'wens', 'opdracht')),
  omgeving               text not null check (omgeving in ('productie', 'test')),
  gevraagde_prioriteit   smallint check (gevraagde_prioriteit between 1 and 4),
  gemeld_op              timestamptz not null,
  -- Derived from the events by the service on every write, for filters and the closing job;
  -- the sla block itself is always computed from the events.
  status                 text not null default 'geregistreerd',
  prioriteit             smallint not null check (prioriteit between 1 and 4),
  actief                 boolean not null default true,
  automatisch_sluiten_op timestamptz,
  aangemaakt_op          timestamptz not null default now(),
  aangemaakt_door        uuid references sleutel (id),
  unique (contract_id, kenmerk)
);
create index melding_gemeld_idx on melding (gemeld_op, id);
create index melding_contract_idx on melding (contract_id, gemeld_op, id);
create index melding_actief_idx on melding (prioriteit, gemeld_op) where actief;
create index melding_sluiten_idx on melding (automatisch_sluiten_op) where automatisch_sluiten_op is not null;

create table gebeurtenis (
  id           uuid primary key default gen_random_uuid(),
  melding_id   uuid not null references melding (id),
  kenmerk      text check (length(kenmerk) between 1 and 200),
  type         text not null check (type in ('reactie', 'status', 'prioriteit', 'voortgang', 'prioriteit-betwist', 'opmerking')),
  op           timestamptz not null,
  status       text check (status in ('geregistreerd', 'in-behandeling', 'wachten-op-informatie', 'wachten-op-klant', 'opgelost', 'gesloten')),
  prioriteit   smallint check (prioriteit between 1 and 4),
  sluitreden   text check (sluitreden in ('oplossing-geaccepteerd', 'workaround-geaccepteerd', 'geen-reactie', 'akkoord-opdrachtgever')),
  toelichting  text check (length(toelichting) <= 4000),
  ontvangen_op timestamptz not null default now(),
  -- the key that sent it; null for what the service records itself (automatic closing)
  sleutel_id   uuid references sleutel (id),
  unique (melding_id, kenmerk)
);
create index gebeurtenis_melding_idx on gebeurtenis (melding_id, op);

-- SLA 2.5 and R-PRI-7: never deleted; corrections are new events, so events never change either.
create trigger contract_niet_verwijderen before delete on contract for each statement execute function weiger_verwijderen();
create trigger contract_normen_niet_verwijderen before delete on contract_normen for each statement execute function weiger_verwijderen();
create trigger melding_niet_verwijderen before delete on melding for each statement execute function weiger_verwijderen();
create trigger gebeurtenis_niet_verwijderen before delete on gebeurtenis for each statement execute function weiger_verwijderen();

create function weiger_wijzigen() returns trigger language plpgsql as $$
begin
  raise exception 'rows of % never change: record a new event instead (R-PRI-7)', tg_table_name using errcode = 'restrict_violation';
end;
$$;
create trigger gebeurtenis_niet_wijzigen before update on gebeurtenis for each statement execute function weiger_wijzigen();
create trigger contract_normen_niet_wijzigen before update on contract_normen for each statement execute function weiger_wijzigen();
