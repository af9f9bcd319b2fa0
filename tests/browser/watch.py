"""What a browser test fails on: script errors, console errors and failed requests."""


def problems_of(page):
    """A list that fills, as the page runs, with each error and each response of 400 or more.

    A response's body may be gone by the time the test reads the list (the
    page moved on), so each is written down when it arrives.
    """
    found = []
    page.on("pageerror", lambda exc: found.append(str(exc)))
    page.on("console", lambda message: message.type == "error" and found.append(message.text))
    page.on(
        "response",
        lambda r: r.status >= 400 and found.append(f"{r.status} {r.request.method} {r.url}"),
    )
    return found
