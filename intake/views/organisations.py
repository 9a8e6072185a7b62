"""Views: see intake/urls.py."""
