"""Page weight: the bytes a page fetches before the visitor's first interaction.

What went over the wire (compressed, headers included) for the document and
everything it loads up to the ``load`` event, media files (``/files/``) and
posters excluded, as the exhibition's weight bar counts them.
"""

from urllib.parse import urlsplit


def page_weight(tab, url):
    """Open ``url`` in the Playwright page ``tab``; returns ``(total_bytes, {url: bytes})``."""
    responses = []

    def listener(response):
        responses.append(response)

    tab.on("response", listener)
    try:
        tab.goto(url, wait_until="load")
    finally:
        tab.remove_listener("response", listener)
    sizes = {}
    for response in responses:
        if urlsplit(response.url).path.startswith("/files/"):
            continue
        measured = response.request.sizes()
        sizes[response.url] = measured["responseBodySize"] + measured["responseHeadersSize"]
    return sum(sizes.values()), sizes
