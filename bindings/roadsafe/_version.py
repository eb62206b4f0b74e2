"""The package version, in one place (the face and the reports read it)."""
__version__ = "0.1.0"
