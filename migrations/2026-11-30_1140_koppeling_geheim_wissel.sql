-- A koppeling's secret can be replaced (issue 12): the new one is shown once; the previous one
-- keeps being accepted until `vorig_geheim_tot`, so the tool can be switched over without
-- refused deliveries. Both encrypted like the secret itself.
alter table koppeling add column vorig_geheim_versleuteld bytea;
alter table koppeling add column vorig_geheim_tot timestamptz;
alter table koppeling add column geheim_gewisseld_op timestamptz;
