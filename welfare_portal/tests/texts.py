"""What the text-limit tests of every app share: the character that makes a name lie, and
Django's message for a text over its maximum length."""

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "gpj.exe" written after it reads "exe.jpg"


def too_long(limit):
    return f"Ensure this value has at most {limit} characters (it has {limit + 1})."
