-- Response times per dienst and UTC day (issue 6), replacing the rows per hour: the quarterly
-- report reads a quarter of 100 diensten' response times, 147,000 hour rows against 9,200 day
-- rows, and nothing reads a finer grain than a month (R-BES-7). A UTC day's window samples all
-- belong to one local service window (Amsterdam is UTC+1/+2), so a day row belongs to exactly one
-- local date and month. The hour rows are summed into day rows, then dropped: the day rows hold
-- the same counts, sums and histograms.
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

drop table responstijd_uur;
