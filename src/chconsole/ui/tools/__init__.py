"""Tools around the console: rendering every view to PNG (`chconsole snapshot`)."""
