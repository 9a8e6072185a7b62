"""Views: see reviews/urls.py."""
