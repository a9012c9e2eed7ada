-- Writes everything to the local layer's copy before it is renamed over the layer.
-- Returns: nothing.
-- Parameters: none.
checkpoint;
