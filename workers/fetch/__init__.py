"""Fetching pages and feeds over the safe client, and turning their bytes into text."""

from workers.fetch.decode import decode_body, sniff_encoding
from workers.fetch.page import fetch_page

__all__ = ["decode_body", "fetch_page", "sniff_encoding"]
