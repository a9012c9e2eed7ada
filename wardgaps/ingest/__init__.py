"""One adapter per source: read -> validate -> tidy observation rows."""
