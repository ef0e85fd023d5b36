"""Views of a Report: JSON (the canonical dump) and Markdown (jinja2). Templates only loop and format;
labels and number formats live in ``labels.py``."""

from sakip_checker.reports.formats import BINARY, FORMATS, render  # noqa: F401
