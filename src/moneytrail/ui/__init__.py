"""The Textual UI. It renders view specs and runs query functions in thread workers."""
