"""The one workbook writer behind every supplier report."""
