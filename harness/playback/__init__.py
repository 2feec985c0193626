"""Recording and replay around httpx / httpx2 transports, on vcrpy's cassette lifecycle."""
