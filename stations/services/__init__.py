"""Every write of station work goes through these services (STYLE.md)."""
