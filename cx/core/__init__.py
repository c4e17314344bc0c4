"""The vocabulary every layer uses: where files are (paths), the canonical survey schema, the
statistical options, display names and number formats, the selection (dataset and filters) and
access rules. Imports nothing else of ``cx``.
"""
