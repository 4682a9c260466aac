"""Package data for the place finder: places.tsv.gz and common_words.txt are built by
tools/build_gazetteer.py (do not edit by hand); words.py holds the hand-made word lists."""
