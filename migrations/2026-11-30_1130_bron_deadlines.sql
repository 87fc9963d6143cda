-- What a ticket tool itself says a melding's deadlines are (issue 12, item 5): TOPdesk
-- `targetDate` / `sla.targetDate` / `sla.responseTargetDate`, Jira Service Management's SLA
-- `breachTime` and `goalDuration`. Kept next to the service's own deadline, never instead of it.
-- Append-only: every message that states a deadline adds a row; the one with the latest tool
-- time (`bron_op`) is the tool's current claim, so the order of arrival does not matter.
create table bron_deadline (
  id           uuid primary key default gen_random_uuid(),
  melding_id   uuid not null references melding (id),
  klok         text not null check (klok in ('reactie', 'functieherstel')),
  deadline     timestamptz not null,
  -- the tool's own norm for it, when it says one (JSM goalDuration), in milliseconds
  norm_ms      bigint check (norm_ms >= 0),
  bericht_id   uuid not null references bericht (id),
  -- the tool's time of the message that said it
  bron_op      timestamptz not null,
  unique (melding_id, klok, bericht_id)
);
create index bron_deadline_melding_idx on bron_deadline (melding_id, klok, bron_op desc, id);

create trigger bron_deadline_niet_verwijderen before delete on bron_deadline for each statement execute function weiger_verwijderen();
create trigger bron_deadline_niet_wijzigen before update on bron_deadline for each statement execute function weiger_wijzigen();
