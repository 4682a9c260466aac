"""Cleaning stage: HTML or plain text in, an article's title and main text (boilerplate out)."""

from workers.clean.lines import filter_boilerplate_lines, is_boilerplate_line
from workers.clean.page import clean_html
from workers.clean.plain import clean_text

__all__ = ["clean_html", "clean_text", "filter_boilerplate_lines", "is_boilerplate_line"]
