"""Renderers: each turns the run result (the JSON contract of DESIGN §5) into one format."""
