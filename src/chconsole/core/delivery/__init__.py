"""Delivering notices: each rendered to an .eml file with its workbook attached."""
