"""Static files as served without DEBUG: WhiteNoise's hashed, gzip + brotli storage."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(rules):
    return tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))


class ServedStaticStorage(CompressedManifestStaticFilesStorage):
    """Rewrites the references of stylesheets only, and not their source maps.

    Vendored minified files (tus-js-client's script, Swagger UI's stylesheet)
    name source maps that are not shipped, which would stop collectstatic.
    """

    patterns = tuple(
        (glob, _without_source_maps(rules))
        for glob, rules in CompressedManifestStaticFilesStorage.patterns
        if glob == "*.css"
    )
