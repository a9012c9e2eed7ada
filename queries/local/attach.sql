-- Attaches the local layer (the council's own ward data) read-only, as local_layer.
-- Returns: nothing.
-- Parameters: $path (the local layer's file, from wardgaps.config.local_path()).
attach $path as local_layer (read_only); -- noqa: PRS
