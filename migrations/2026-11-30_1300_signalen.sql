-- Signalen (issue 14): the escalation matrix per contract (versioned), subscriptions, the
-- schedule of the next signal instant per melding, and the durable outbox of signals and their
-- deliveries. Frozen: never edit a migration that has shipped; add one.

-- SLA 6.3: levels 1 operationeel, 2 tactisch, 3 strategisch of both parties; every change is a
-- new version, and an unchanged PUT a new confirmation (so "last confirmed" is readable).
create table escalatiematrix (
  contract_id     uuid not null references contract (id),
  versie          integer not null check (versie >= 1),
  geldig_vanaf    date not null,
  contacten       jsonb not null,
  aangemaakt_op   timestamptz not null,
  aangemaakt_door uuid references sleutel (id),
  primary key (contract_id, versie)
);

create table abonnement (
  id                 uuid primary key default gen_random_uuid(),
  soort              text not null check (soort in ('webhook', 'email', 'escalatie')),
  url                text check (length(url) between 1 and 2000),
  adressen           text[],
  niveau             integer check (niveau between 1 and 3),
  -- null: every signal
  signalen           text[],
  -- null: every contract the key that made it may see
  contract_id        uuid references contract (id),
  -- the leverancier of a leverancier key that made it: it sees only its own contracts' signals
  leverancier_id     uuid references leverancier (id),
  omschrijving       text not null default '' check (length(omschrijving) <= 500),
  -- Standard Webhooks secret, AES-256-GCM (nonce ‖ tag ‖ ciphertext), webhooks only
  geheim_versleuteld bytea,
  actief             boolean not null default true,
  aangemaakt_op      timestamptz not null,
  aangemaakt_door    uuid references sleutel (id),
  check ((soort = 'webhook') = (url is not null and geheim_versleuteld is not null)),
  check ((soort = 'email') = (adressen is not null)),
  check ((soort = 'escalatie') = (niveau is not null))
);
create index abonnement_actief_idx on abonnement (contract_id) where actief;

-- The next instant at which a signal of an open melding may fire (null: none ahead), and the
-- instant up to which its signals were fired: written in the transaction of every melding write.
create table signaal_planning (
  melding_id   uuid primary key references melding (id),
  volgende_op  timestamptz,
  verwerkt_tot timestamptz not null
);
create index signaal_planning_volgende_idx on signaal_planning (volgende_op) where volgende_op is not null;

-- The outbox: one row per signal, unique per its key (melding, soort, klok, the instant it is
-- about), written in the transaction of the change or the job run that causes it.
create table signaal (
  id            uuid primary key default gen_random_uuid(),
  sleutel       text not null unique,
  soort         text not null,
  contract_id   uuid references contract (id),
  melding_id    uuid references melding (id),
  op            timestamptz not null,
  gevuurd_op    timestamptz not null,
  kenmerken     jsonb not null,
  aangemaakt_op timestamptz not null
);
create index signaal_melding_idx on signaal (melding_id);

create table aflevering (
  id                 uuid primary key default gen_random_uuid(),
  signaal_id         uuid not null references signaal (id),
  abonnement_id      uuid not null references abonnement (id),
  status             text not null check (status in ('wachtend', 'afgeleverd', 'mislukt')),
  pogingen           integer not null default 0,
  -- retries stop 24 hours after this (the signal, or a resend)
  venster_start      timestamptz not null,
  volgende_poging_op timestamptz,
  laatste_poging_op  timestamptz,
  laatste_status     integer,
  laatste_fout       text check (length(laatste_fout) <= 2000),
  afgeleverd_op      timestamptz,
  aangemaakt_op      timestamptz not null,
  unique (signaal_id, abonnement_id)
);
create index aflevering_volgende_idx on aflevering (volgende_poging_op) where status = 'wachtend';
create index aflevering_abonnement_idx on aflevering (abonnement_id, aangemaakt_op, id);

-- Open meldingen made before this migration get a planning: the job looks at them at once.
insert into signaal_planning (melding_id, volgende_op, verwerkt_tot) select id, now(), now() from melding where actief;

create trigger escalatiematrix_niet_verwijderen before delete on escalatiematrix for each statement execute function weiger_verwijderen();
create trigger escalatiematrix_niet_wijzigen before update on escalatiematrix for each statement execute function weiger_wijzigen();
create trigger abonnement_niet_verwijderen before delete on abonnement for each statement execute function weiger_verwijderen();
create trigger signaal_niet_verwijderen before delete on signaal for each statement execute function weiger_verwijderen();
create trigger aflevering_niet_verwijderen before delete on aflevering for each statement execute function weiger_verwijderen();
