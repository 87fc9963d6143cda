-- TOPdesk read access (issue 13): a topdesk koppeling may read the gemeente's TOPdesk REST API
-- with an operator account and its application password (encrypted like the koppeling's secret),
-- to reconcile what pushes missed and to import history. The cursor of the reconciliation: every
-- incident whose modificationDate is not after it was read and processed.
alter table koppeling add column topdesk_url text check (length(topdesk_url) <= 500);
alter table koppeling add column topdesk_gebruiker text check (length(topdesk_gebruiker) <= 200);
alter table koppeling add column topdesk_wachtwoord_versleuteld bytea;
alter table koppeling add column topdesk_filter text check (length(topdesk_filter) <= 2000);
alter table koppeling add column topdesk_cursor timestamptz;
alter table koppeling add column topdesk_status text check (topdesk_status in ('ok', 'fout'));
alter table koppeling add column topdesk_laatste_succes timestamptz;
alter table koppeling add column topdesk_laatste_fout text check (length(topdesk_laatste_fout) <= 4000);
alter table koppeling add column topdesk_laatste_fout_op timestamptz;
-- One reconciliation per koppeling at a time, whichever instance: a lease taken and renewed with
-- one conditional update (the database's clock), free again when it runs out (a crashed instance).
alter table koppeling add column topdesk_bezig_tot timestamptz;

-- Where a message came from: pushed by the tool, or read through the tool's API (reconciliation
-- or a history import). Pulled snapshots have the same delivery id as pushed ones.
alter table bericht add column bron text not null default 'push' check (bron in ('push', 'pull', 'import'));

-- History imports: read from `vanaf` on, resumable (`cursor`), cancellable.
create table topdesk_import (
  id             uuid primary key default gen_random_uuid(),
  koppeling_id   uuid not null references koppeling (id),
  vanaf          timestamptz not null,
  tot            timestamptz not null,
  cursor         timestamptz not null,
  status         text not null check (status in ('bezig', 'klaar', 'mislukt', 'geannuleerd')),
  gelezen        integer not null default 0,
  vertaald       integer not null default 0,
  bekend         integer not null default 0,
  fouten         integer not null default 0,
  laatste_fout   text check (length(laatste_fout) <= 4000),
  pogingen       integer not null default 0,
  totaal         integer,
  bezig_tot      timestamptz,
  aangemaakt_op  timestamptz not null,
  bijgewerkt_op  timestamptz not null,
  klaar_op       timestamptz
);
create index topdesk_import_koppeling_idx on topdesk_import (koppeling_id, aangemaakt_op);
create index topdesk_import_bezig_idx on topdesk_import (status) where status = 'bezig';
