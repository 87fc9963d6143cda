-- Quarterly reports (issue 6): what a security incident needs, the users and rights a supplier
-- reports, restore tests (SLA 7.4) and the reports themselves. Frozen once shipped; add one.

-- SLA 7.3: which of beschikbaarheid, integriteit and vertrouwelijkheid (BIV) an information
-- security incident touched, and whether it is a major one (the CISO is told at once). Given at
-- registration, only for a beveiligingsincident; later facts are events (`maatregel`, `opmerking`).
alter table melding add column biv text[];
alter table melding add column major boolean;
alter table melding add constraint melding_beveiliging_check
  check ((biv is null and major is null) or type = 'beveiligingsincident');
alter table melding add constraint melding_biv_check
  check (biv is null or (cardinality(biv) >= 1 and biv <@ array['beschikbaarheid', 'integriteit', 'vertrouwelijkheid']));

-- A `maatregel` event records a measure taken against recurrence (SLA 7.3); the clocks ignore it.
alter table gebeurtenis drop constraint gebeurtenis_type_check;
alter table gebeurtenis add constraint gebeurtenis_type_check
  check (type in ('reactie', 'status', 'prioriteit', 'voortgang', 'prioriteit-betwist', 'opmerking', 'maatregel'));

-- SLA 3.8: the number of users and rights that used the software in a quarter, as the supplier
-- reports it. A new report for the same quarter is a new row; the quarterly report uses the last.
create table gebruikersopgave (
  id            uuid primary key default gen_random_uuid(),
  contract_id   uuid not null references contract (id),
  periode       text not null check (periode ~ '^[0-9]{4}-Q[1-4]$'),
  gebruikers    integer not null check (gebruikers >= 0),
  rechten       jsonb not null,
  gevolgen      text not null default '' check (length(gevolgen) <= 4000),
  opgegeven_op  timestamptz not null default now(),
  sleutel_id    uuid references sleutel (id)
);
create index gebruikersopgave_contract_idx on gebruikersopgave (contract_id, periode, opgegeven_op);

-- SLA 7.4: at least one restore test per quarter, with its result and follow-up.
create table restoretest (
  id            uuid primary key default gen_random_uuid(),
  contract_id   uuid not null references contract (id),
  kenmerk       text not null check (length(kenmerk) between 1 and 200),
  uitgevoerd_op timestamptz not null,
  resultaat     text not null check (resultaat in ('geslaagd', 'deels-geslaagd', 'mislukt')),
  toelichting   text not null default '' check (length(toelichting) <= 4000),
  opvolging     text not null default '' check (length(opvolging) <= 4000),
  aangemaakt_op timestamptz not null default now(),
  sleutel_id    uuid references sleutel (id),
  unique (contract_id, kenmerk)
);
create index restoretest_contract_idx on restoretest (contract_id, uitgevoerd_op);

-- A report is stored exactly as it was made (the JSON text, not jsonb, which would reorder it);
-- generating again makes a new versie.
create table rapportage (
  id              uuid primary key,
  contract_id     uuid not null references contract (id),
  periode         text not null check (periode ~ '^[0-9]{4}-Q[1-4]$'),
  versie          integer not null check (versie >= 1),
  gegenereerd_op  timestamptz not null,
  gegenereerd_door uuid references sleutel (id),
  invoer_hash     text not null,
  inhoud          text not null,
  unique (contract_id, periode, versie)
);
-- Reports are read whole and their ids compress poorly: storing them uncompressed halves the
-- time to store one (2 MB for 10,000 meldingen) on the embedded database.
alter table rapportage alter column inhoud set storage external;
create index rapportage_lijst_idx on rapportage (gegenereerd_op, id);

create trigger gebruikersopgave_niet_verwijderen before delete on gebruikersopgave for each statement execute function weiger_verwijderen();
create trigger gebruikersopgave_niet_wijzigen before update on gebruikersopgave for each statement execute function weiger_wijzigen();
create trigger restoretest_niet_verwijderen before delete on restoretest for each statement execute function weiger_verwijderen();
create trigger restoretest_niet_wijzigen before update on restoretest for each statement execute function weiger_wijzigen();
create trigger rapportage_niet_verwijderen before delete on rapportage for each statement execute function weiger_verwijderen();
create trigger rapportage_niet_wijzigen before update on rapportage for each statement execute function weiger_wijzigen();
