-- Koppelingen (issue 12): answer the tool before processing, and keep raw bodies only for a term.
--
-- A message is first stored as `ontvangen` (received, not yet processed) in a short transaction of
-- its own; processing then gives it its outcome in another one. What a crash or a kill leaves
-- `ontvangen` is processed by a job (src/jobs/koppelingen.ts). After the retention term the body
-- is cleared; its SHA-256 (kept from arrival on) and the outcome stay.

alter table bericht drop constraint bericht_resultaat_check;
alter table bericht add constraint bericht_resultaat_check check (resultaat in ('ontvangen', 'verwerkt', 'dubbel', 'fout'));
-- Not processed yet: no time of processing.
alter table bericht alter column verwerkt_op drop not null;
alter table bericht add constraint bericht_verwerkt_op_check check ((resultaat = 'ontvangen') = (verwerkt_op is null));

-- The order of arrival, also when the clock gives two messages the same instant (tests, bursts).
alter table bericht add column nr bigint generated always as identity;

-- The SHA-256 of the body as received (hex), kept when the body is cleared.
alter table bericht add column inhoud_sha256 text check (inhoud_sha256 ~ '^[0-9a-f]{64}$');
update bericht set inhoud_sha256 = encode(sha256(convert_to(inhoud, 'UTF8')), 'hex');
alter table bericht alter column inhoud_sha256 set not null;

-- Cleared after the retention term: then the body is null and opgeschoond_op says when.
alter table bericht alter column inhoud drop not null;
alter table bericht add column opgeschoond_op timestamptz;
alter table bericht add constraint bericht_opgeschoond_check check ((inhoud is null) = (opgeschoond_op is not null));
alter table bericht add constraint bericht_opgeschoond_verwerkt_check check (opgeschoond_op is null or resultaat <> 'ontvangen');

-- A row written without the hash (an older writer, a test) gets it here, from the body.
create function bericht_hash() returns trigger language plpgsql as $$
begin
  if new.inhoud_sha256 is null and new.inhoud is not null then
    new.inhoud_sha256 := encode(sha256(convert_to(new.inhoud, 'UTF8')), 'hex');
  end if;
  return new;
end;
$$;
create trigger bericht_hash before insert on bericht for each row execute function bericht_hash();

-- A message is kept as received: only its outcome changes (processing, reprocessing), and its
-- body is only cleared, once, after the retention term (bericht_niet_verwijderen still refuses
-- every delete). A cleared message is not processed again; a processed one is never `ontvangen` again.
create function bericht_alleen_uitkomst() returns trigger language plpgsql as $$
begin
  if (new.id, new.koppeling_id, new.ontvangen_op, new.levering, new.ticket, new.volgorde, new.headers, new.inhoud_sha256, new.nr)
     is distinct from (old.id, old.koppeling_id, old.ontvangen_op, old.levering, old.ticket, old.volgorde, old.headers, old.inhoud_sha256, old.nr) then
    raise exception 'a bericht is kept as received: only its outcome changes' using errcode = 'restrict_violation';
  end if;
  if new.inhoud is distinct from old.inhoud or new.opgeschoond_op is distinct from old.opgeschoond_op then
    if not (old.inhoud is not null and new.inhoud is null and old.opgeschoond_op is null and new.opgeschoond_op is not null
            and (new.resultaat, new.reden, new.verwerkt_op) is not distinct from (old.resultaat, old.reden, old.verwerkt_op)) then
      raise exception 'the body of a bericht is never changed, only cleared once after the retention term' using errcode = 'restrict_violation';
    end if;
  elsif old.inhoud is null then
    raise exception 'a bericht whose body was cleared is not processed again' using errcode = 'restrict_violation';
  end if;
  if old.resultaat <> 'ontvangen' and new.resultaat = 'ontvangen' then
    raise exception 'a processed bericht is never ontvangen again' using errcode = 'restrict_violation';
  end if;
  return new;
end;
$$;
create trigger bericht_alleen_uitkomst before update on bericht for each row execute function bericht_alleen_uitkomst();

-- The messages not processed yet, per ticket in the tool's order then arrival (processing and the job).
create index bericht_ontvangen_idx on bericht (koppeling_id, ticket, volgorde, nr) where resultaat = 'ontvangen';
-- The bodies still kept, by arrival (the retention job).
create index bericht_bewaard_idx on bericht (ontvangen_op) where inhoud is not null;
