"""Signing in to the admin in Chromium, as every admin browser test does first."""

OFFICERS_PASSWORD = "x"  # tests.factories.team_member's


def log_in(page, base_url, username, password=OFFICERS_PASSWORD):
    """Sign in through the admin's login form and wait for the dashboard."""
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")
