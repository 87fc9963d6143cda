-- Koppelingen: a ticket tool (TOPdesk, Jira, Zendesk) that pushes its own webhooks into one
-- contract, the versions of its translation, and the inbox of every message it sent (issue 12).
-- Frozen: never edit a migration that has shipped; add one.

create table koppeling (
  id                 uuid primary key default gen_random_uuid(),
  contract_id        uuid not null references contract (id),
  bron               text not null check (bron in ('topdesk', 'jira', 'zendesk')),
  naam               text not null check (length(naam) between 1 and 200),
  -- The shared secret, encrypted with AES-256-GCM (nonce ‖ tag ‖ ciphertext): a signature can
  -- only be checked with the secret itself, so it cannot be stored as a hash like API keys.
  geheim_versleuteld bytea not null,
  aangemaakt_op      timestamptz not null default now(),
  aangemaakt_door    uuid references sleutel (id)
);
create index koppeling_contract_idx on koppeling (contract_id);

-- Every change of the translation is a new version from an instant on; earlier ones stay readable.
create table koppeling_vertaling (
  koppeling_id    uuid not null references koppeling (id),
  versie          integer not null check (versie >= 1),
  geldig_vanaf    timestamptz not null,
  vertaling       jsonb not null,
  aangemaakt_door uuid references sleutel (id),
  primary key (koppeling_id, versie)
);

-- The inbox: every accepted message as received. Only the outcome columns change (processing,
-- reprocessing); a message is never deleted.
create table bericht (
  id           uuid primary key default gen_random_uuid(),
  koppeling_id uuid not null references koppeling (id),
  ontvangen_op timestamptz not null,
  -- the tool's delivery id (Jira X-Atlassian-Webhook-Identifier, Zendesk event id, TOPdesk incident id + modificationDate)
  levering     text not null check (length(levering) between 1 and 300),
  -- the tool's stable ticket id and the tool's own time of the message, when the body has them
  ticket       text check (length(ticket) between 1 and 200),
  volgorde     timestamptz,
  headers      jsonb not null,
  inhoud       text not null,
  resultaat    text not null check (resultaat in ('verwerkt', 'dubbel', 'fout')),
  reden        text check (length(reden) <= 4000),
  verwerkt_op  timestamptz not null
);
create index bericht_koppeling_idx on bericht (koppeling_id, ontvangen_op, id);
create index bericht_levering_idx on bericht (koppeling_id, levering);
create index bericht_ticket_idx on bericht (koppeling_id, ticket, volgorde) where resultaat = 'verwerkt';

-- Which message an event was derived from (null for events sent through the API).
alter table gebeurtenis add column bericht_id uuid references bericht (id);

create trigger koppeling_niet_verwijderen before delete on koppeling for each statement execute function weiger_verwijderen();
create trigger koppeling_vertaling_niet_verwijderen before delete on koppeling_vertaling for each statement execute function weiger_verwijderen();
create trigger bericht_niet_verwijderen before delete on bericht for each statement execute function weiger_verwijderen();
create trigger koppeling_vertaling_niet_wijzigen before update on koppeling_vertaling for each statement execute function weiger_wijzigen();
