"""Static files storage for production: hashed, compressed, served by WhiteNoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# design-django-theme's base template asks static() for names it does not ship: the
# owl.carousel files (inside an HTML comment, but the tag still runs) and the `fonts` folder
# (a folder, so never in the manifest). Strict manifest lookups would fail every page.
THEME_NAMES_WITHOUT_FILES = frozenset(
    {
        "css/vendor/owl.carousel.min.css",
        "js/vendor/owl.carousel.min.js",
        "fonts",
    }
)


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, strict for every name but the theme's known gaps."""

    def stored_name(self, name):
        if name in THEME_NAMES_WITHOUT_FILES:
            return name
        return super().stored_name(name)
