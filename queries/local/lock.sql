-- Locks the connection once the local layer is attached: no more file or network access, and
-- no setting can be changed back.
-- Returns: nothing.
-- Parameters: none.
set enable_external_access = false;
set lock_configuration = true;
