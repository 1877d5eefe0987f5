"""The presentation layer: values into safe, formatted Rich `Text`. No Textual here."""
