"""Views: see notifications/urls.py."""
