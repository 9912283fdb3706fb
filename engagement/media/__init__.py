"""Video files: the upload, the checks on it, their storage, the worker's processing, and the
short-lived links through which they are watched and downloaded (docs/ARCHITECTURE.md, "Media")."""
