-- Verplichtingen: the SLA's other promises (issue 15, SLA-RULES §12, R-VPL-1…6): releases on
-- test and their acceptance (3.7), overleggen and their verslagen (6.2), documents (upgradebeleid
-- 3.7, Third Party Mededeling and ISO 27001 7.2) and the exit milestones (8). Append-only like
-- meldingen: a correction or a later fact is a new record; the service reads the last value of
-- each field in recording order (volgnummer). Frozen once shipped; add a migration.

-- 6.2: one record per fact about an overleg; records with the same niveau and datum are one overleg.
create table overleg (
  id                   uuid primary key default gen_random_uuid(),
  volgnummer           bigint generated always as identity,
  contract_id          uuid not null references contract (id),
  niveau               text not null check (niveau in ('strategisch', 'tactisch', 'operationeel')),
  datum                date not null,
  verslag_ontvangen_op timestamptz,
  toelichting          text not null default '' check (length(toelichting) <= 4000),
  aangemaakt_op        timestamptz not null default now(),
  sleutel_id           uuid references sleutel (id)
);
create index overleg_contract_idx on overleg (contract_id, volgnummer);

-- 3.7: a release or patch; records with the same kenmerk are about the same release.
create table release (
  id                uuid primary key default gen_random_uuid(),
  volgnummer        bigint generated always as identity,
  contract_id       uuid not null references contract (id),
  kenmerk           text not null check (length(kenmerk) between 1 and 200),
  soort             text check (soort in ('upgrade', 'update')),
  op_test_op        timestamptz,
  geaccepteerd_op   timestamptz,
  afgekeurd_op      timestamptz,
  besloten_door     text check (length(besloten_door) between 1 and 200),
  in_productie_van  timestamptz,
  in_productie_tot  timestamptz,
  toelichting       text not null default '' check (length(toelichting) <= 4000),
  aangemaakt_op     timestamptz not null default now(),
  sleutel_id        uuid references sleutel (id),
  check (op_test_op is not null or geaccepteerd_op is not null or afgekeurd_op is not null or in_productie_van is not null or in_productie_tot is not null),
  check (in_productie_tot is null or in_productie_van is null or in_productie_tot >= in_productie_van)
);
create index release_contract_idx on release (contract_id, volgnummer);

-- 3.7 upgradebeleid (for a year), 7.2 Third Party Mededeling (ISAE 3000 or 3402, over a period)
-- and ISO 27001 certificate (valid until); each received at an instant.
create table document (
  id            uuid primary key default gen_random_uuid(),
  volgnummer    bigint generated always as identity,
  contract_id   uuid not null references contract (id),
  soort         text not null check (soort in ('upgradebeleid', 'tpm', 'iso27001')),
  ontvangen_op  timestamptz not null,
  jaar          integer check (jaar between 1970 and 2199),
  type          text check (type in ('isae-3000', 'isae-3402')),
  periode_van   date,
  periode_tot   date,
  geldig_tot    date,
  toelichting   text not null default '' check (length(toelichting) <= 4000),
  aangemaakt_op timestamptz not null default now(),
  sleutel_id    uuid references sleutel (id),
  check ((soort = 'upgradebeleid') = (jaar is not null)),
  check ((soort = 'tpm') = (type is not null and periode_van is not null and periode_tot is not null)),
  check (periode_tot is null or periode_tot >= periode_van),
  check ((soort = 'iso27001') = (geldig_tot is not null))
);
create index document_contract_idx on document (contract_id, volgnummer);

-- 8, 8.1: the contract's end date and the exit's milestones; each record gives one or more.
create table exit_mijlpaal (
  id                          uuid primary key default gen_random_uuid(),
  volgnummer                  bigint generated always as identity,
  contract_id                 uuid not null references contract (id),
  einddatum                   date,
  overbrugging_aangevraagd_op timestamptz,
  overdracht_bevestigd_op     timestamptz,
  vernietigingsverklaring_op  timestamptz,
  toelichting                 text not null default '' check (length(toelichting) <= 4000),
  aangemaakt_op               timestamptz not null default now(),
  sleutel_id                  uuid references sleutel (id),
  check (einddatum is not null or overbrugging_aangevraagd_op is not null or overdracht_bevestigd_op is not null or vernietigingsverklaring_op is not null)
);
create index exit_mijlpaal_contract_idx on exit_mijlpaal (contract_id, volgnummer);

create trigger overleg_niet_verwijderen before delete on overleg for each statement execute function weiger_verwijderen();
create trigger overleg_niet_wijzigen before update on overleg for each statement execute function weiger_wijzigen();
create trigger release_niet_verwijderen before delete on release for each statement execute function weiger_verwijderen();
create trigger release_niet_wijzigen before update on release for each statement execute function weiger_wijzigen();
create trigger document_niet_verwijderen before delete on document for each statement execute function weiger_verwijderen();
create trigger document_niet_wijzigen before update on document for each statement execute function weiger_wijzigen();
create trigger exit_mijlpaal_niet_verwijderen before delete on exit_mijlpaal for each statement execute function weiger_verwijderen();
create trigger exit_mijlpaal_niet_wijzigen before update on exit_mijlpaal for each statement execute function weiger_wijzigen();
