"""The words of the domain: errors, states, GUIDs, SMI fields, London time, incoming files."""
