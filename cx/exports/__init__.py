"""Exports for decks: the chart model, images, PowerPoint, Excel and the formula neutraliser.

No Streamlit here: the app and the command line export the same :class:`Chart` objects.
"""
