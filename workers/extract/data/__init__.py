"""Package data for the gazetteer: built by tools/build_gazetteer.py, do not edit by hand."""
