-- Brings a local layer made before items had a published flag up to date (a temporary copy of it,
-- before any write): its indicators are then not published, as a new one is.
-- Returns: nothing.
-- Parameters: none.
alter table local_indicators add column if not exists published boolean default false;
