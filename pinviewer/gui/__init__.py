"""Widgets only: everything a person sees on screen. Parsing, storage and HTTP live in pinviewer.core."""
