"""Helpers every test tier imports (``from support import ...``; pytest puts ``tests/`` on the
path): ``apptest`` opens the app in AppTest, ``cli`` runs ``python -m cx``, ``survey_files``,
``hostile_files`` and ``hostile_values`` make uploads and hostile strings, ``reports`` runs
reports on a test database, ``compare`` compares results across sources, ``extra_cells`` adds a
cells file, and ``appserver``, ``browsing`` and ``served`` run the app for browsers."""
