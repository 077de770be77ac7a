"""A person's own account, across every app: their data as a file (export) and closing the
account (closure). These modules read every app's models, as the personal area links every
app's pages: what a person did anywhere in the portal is theirs to download, and closing the
account touches all of it.
"""
