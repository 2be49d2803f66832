"""Typed Python SDK for Wiki.js 2.5."""

__version__ = "0.2.0.dev0"
