-- Koppelingen, after review (issue 12): a delivery of a tool is processed at most once. Messages
-- are processed one at a time per ticket and per delivery (advisory locks in the service, see
-- src/services/koppelingen.ts); this index is the database's own guarantee behind that.
create unique index bericht_levering_verwerkt_idx on bericht (koppeling_id, levering) where resultaat = 'verwerkt';
