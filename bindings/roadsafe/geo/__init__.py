"""Geography: collision coordinates in British National Grid, roads and boundaries."""
