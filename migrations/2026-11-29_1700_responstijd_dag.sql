-- Response times per dienst and UTC day (issue 6): the quarterly report reads a quarter of 100
-- diensten' response times; from hour rows that is 147,000 rows to merge, from day rows 9,200.
-- Kept by ingest next to the hour rows. A UTC day's window hours all belong to one local service
-- window (Amsterdam is UTC+1/+2), so a day row belongs to exactly one local date and month.
create table responstijd_dag (
  dienst_id uuid not null references dienst (id),
  dag       date not null,
  aantal    integer not null,
  som_ms    double precision not null,
  -- encoded like responstijd_uur.histogram; a concatenation of encodings decodes as their sum
  histogram bytea not null,
  primary key (dienst_id, dag)
);

insert into responstijd_dag (dienst_id, dag, aantal, som_ms, histogram)
  select dienst_id, (uur at time zone 'UTC')::date, sum(aantal), sum(som_ms), string_agg(histogram, ''::bytea order by uur)
  from responstijd_uur group by dienst_id, (uur at time zone 'UTC')::date;
