"""Signing in to the admin in Chromium, as every admin browser test does first, and its forms."""

OFFICERS_PASSWORD = "x"  # tests.factories.team_member's


def log_in(page, base_url, username, password=OFFICERS_PASSWORD):
    """Sign in through the admin's login form and wait for the dashboard."""
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")


# Wagtail's unsaved-changes watcher takes the form as it stands two seconds
# after it starts as the unchanged state, and its autosave starts only on a
# change from that. The page marks when that happens and records any
# autosave error, for the test to read; Wagtail fires both as DOM events.
WATCH_FORM = """
document.addEventListener("w-unsaved:watch-edits", () => {
  document.documentElement.dataset.formWatched = "";
});
document.addEventListener("w-autosave:error", (event) => {
  (window.autosaveErrors = window.autosaveErrors || []).push(event.detail.text);
});
"""


def watch_forms(page_or_context):
    """Mark, on every page it opens, when Wagtail starts watching the form (see WATCH_FORM)."""
    page_or_context.add_init_script(WATCH_FORM)


def wait_until_form_watched(page):
    """Wait, as a person reading the form does, until Wagtail watches it for edits."""
    page.locator("html[data-form-watched]").wait_for(state="attached")


def autosave_errors(page):
    return page.evaluate("window.autosaveErrors || []")
