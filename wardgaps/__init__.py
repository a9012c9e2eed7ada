"""Ward Gaps: inequality between the wards of every local authority in England and Wales, on
official statistics.

Glossary (the words the code, the tables and the pages use):

- **authority**: a local authority of England or Wales (318 of them: London boroughs, metropolitan
  districts, unitary authorities, shire districts and Welsh principal areas); ``authority_code``.
  Old permalinks' ``?borough=`` is read as ``?authority=``.
- **ward set**: the wards of one vintage. The current set is ONS's May-2024 wards (London's since
  May 2022); London also has its 2014 and 2018 sets. A figure is shown on the set it was published
  on, or carried to the current set and labelled so.
- **comparator**: an area a ward is set against: its authority, its region (Wales as a whole for
  Welsh authorities) and its country; published where the source publishes it, else aggregated.
- **apportioned**: a ward figure estimated from smaller or other areas (LSOAs, old wards) with
  stored weights (``method = 'apportioned'``, with its ``fit_quality``), never a published figure.
- **public view**: what anyone may see, read only from the public extract (``data/public.duckdb``)
  made by the publish step, which applies the disclosure rules once (``WARDGAPS_PUBLIC=1``); the
  officer view reads the full extract (``data/wardgaps.duckdb``) and the council's local layer.
"""

__version__ = "0.1.0"
