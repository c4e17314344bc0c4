"""Attacker-controlled strings the edge tests feed to filters, links, names and logs, and the
pattern of what Markdown would draw as a link or an image."""

from __future__ import annotations

import re

HOSTILE = [
    "'; drop table respondents; --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil","x")',
    "../../etc/passwd",
    "line\nbreak\r\x00nul",
    "**bold** [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " * 50,
]
#: Markdown a link could carry (the issue's probes): a clickable link and an image fetch.
LINK = "[Sign in again](https://evil.example/x)"
IMAGE = "![x](http://127.0.0.1:9/track.png)"
#: What Markdown would draw as a link or an image: ``[text](`` with unescaped brackets, or a
#: bare address GitHub's autolinks pick up (``https://``, ``www.``), escaped or not.
MARKDOWN_LINK = re.compile(
    r"(?<!\\)\[[^\]]*(?<!\\)\]\(|\b(?:[Hh][Tt][Tt][Pp][Ss]?\\?://|[Ww]{3}\\?\.)"
)
