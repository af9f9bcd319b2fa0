"""Static files as served without DEBUG: WhiteNoise's hashed, gzip + brotli storage."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ServedStaticStorage(CompressedManifestStaticFilesStorage):
    """Rewrites CSS references only: vendored minified scripts (tus-js-client) name
    source maps that are not shipped, which would stop collectstatic."""

    patterns = tuple(
        (glob, rules) for glob, rules in CompressedManifestStaticFilesStorage.patterns
        if glob == "*.css"
    )  # fmt: skip
