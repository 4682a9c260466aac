"""tollwatch: streaming ingestion workers for humanitarian casualty monitoring."""

__version__ = "0.1.0"
