"""Publications: events, portraits, project news and the directory of associations."""
