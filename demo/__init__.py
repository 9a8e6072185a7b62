"""The fictitious demo: the PACTESUR 2 project and its calls, seeded through the services.

``data/`` holds what the demo says (texts, cities, people); the other modules seed it.
"""
