"""Evaluation of pipeline stages against the labelled dev sets."""
