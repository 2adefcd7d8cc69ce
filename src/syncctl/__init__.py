"""syncctl: GitOps for Truto sync jobs."""

__version__ = "0.1.0"
