"""The show's static home page: ``index.html`` and one page per episode, from the published feed.

:mod:`.reader` turns the feed, its transcripts (WebVTT) and chapters JSON into records;
:mod:`.writer` renders them with the Jinja2 templates in ``templates/`` and writes the
pages, ``site.css`` and ``site.js`` atomically. The site reads only what publishing wrote
and never reaches back into the pipeline; nothing on its pages comes from elsewhere, so
it works offline from ``podcast serve``.
"""

from __future__ import annotations

from .writer import Site, write_site

__all__ = ["Site", "write_site"]
