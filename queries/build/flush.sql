-- Write everything from the write-ahead log into the file before it is renamed into place.
checkpoint;
