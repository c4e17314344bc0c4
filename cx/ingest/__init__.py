"""Bring your own survey data: read, detect the layout, map columns, validate, store atomically.

The steps are separate so the app can show each one before anything is stored:

1. :func:`read_survey` (:mod:`cx.ingest.read`) turns file bytes into a :class:`RawSurvey`;
2. :func:`detect_mapping` (:mod:`cx.ingest.mapping`) maps source columns to canonical ones;
3. :func:`normalise` (:mod:`cx.ingest.normalise`) makes canonical rows and a report: every
   rejected row keeps its row number, its reasons and its original cells;
4. :func:`store` (:mod:`cx.ingest.store`) writes the accepted rows as a dataset in one
   transaction and keeps the original file.

Every user-facing failure is an :class:`IngestError` whose message is one line.
"""
