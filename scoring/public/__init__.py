"""Open results: published rankings for anyone, as pages and as a JSON API."""
