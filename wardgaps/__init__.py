"""Ward Gaps: inequality between the wards of a London borough, on official statistics."""

__version__ = "0.1.0"
